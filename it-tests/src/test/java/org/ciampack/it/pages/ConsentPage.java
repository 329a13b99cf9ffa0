package org.ciampack.it.pages;

import java.util.List;
import org.ciampack.it.harness.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The consent step at login (ciam-consent), and the page shown after declining. */
public final class ConsentPage {

    private final Browser browser;

    public ConsentPage(Browser browser) {
        this.browser = browser;
        browser.await(By.id("ciam-consent-form"));
        browser.capture("consent-page");
    }

    /** The ids of the purposes asked, in page order. */
    public List<String> purposesAsked() {
        return browser.driver().findElements(By.cssSelector("#ciam-consent-purposes input[type=checkbox]")).stream()
                .map(box -> box.getAttribute("id").substring("consent.".length())).toList();
    }

    /** The visible text of a purpose's block (title, description, link). */
    public String text(String purpose) {
        return browser.driver().findElement(By.id("ciam-consent-" + purpose)).getText();
    }

    public void accept(String... purposes) {
        for (String purpose : purposes) {
            WebElement box = browser.driver().findElement(By.id("consent." + purpose));
            if (!box.isSelected()) {
                box.click();
            }
        }
        browser.driver().findElement(By.id("ciam-consent-accept")).click();
    }

    /** Presses the continue button with the ticks as they are. */
    public void submit() {
        browser.driver().findElement(By.id("ciam-consent-accept")).click();
    }

    /** A purpose's error text, or null when it has none. */
    public String fieldError(String purpose) {
        return browser.driver().findElements(By.id("consent." + purpose + "-error")).stream().findFirst()
                .map(WebElement::getText).orElse(null);
    }

    /** Declines before an account exists (first login through an identity provider): none is created. */
    public String declineWithoutAccount() {
        browser.driver().findElement(By.id("ciam-consent-decline")).click();
        String message = browser.await(By.id("ciam-consent-no-account")).getText();
        browser.capture("consent-declined-no-account");
        return message;
    }

    public void declineAndSignOut() {
        browser.driver().findElement(By.id("ciam-consent-decline")).click();
        browser.await(By.id("ciam-consent-declined"));
        browser.capture("consent-declined");
    }

    public String declinedMessage() {
        return browser.driver().findElement(By.id("ciam-consent-declined")).getText();
    }

    public void deleteAccount() {
        browser.driver().findElement(By.id("ciam-consent-delete")).click();
        browser.await(By.id("ciam-consent-deleted"));
        browser.capture("consent-account-deleted");
    }
}
