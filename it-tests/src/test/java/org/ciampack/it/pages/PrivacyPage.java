package org.ciampack.it.pages;

import java.util.List;
import org.ciampack.it.harness.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/** "Privacy and consents" in the account console, served by the ciam account theme. */
public final class PrivacyPage {

    private final Browser browser;

    private PrivacyPage(Browser browser) {
        this.browser = browser;
    }

    /** Opens the page from the console's navigation, as a customer would, and waits for the purposes. */
    public static PrivacyPage openFromMenu(Browser browser) {
        browser.await(By.linkText("Privacy and consents")).click();
        browser.await(By.id("ciam-consents-title"));
        browser.until(driver -> !driver.findElements(By.cssSelector("#ciam-consents li[data-purpose]")).isEmpty());
        return new PrivacyPage(browser);
    }

    private WebElement purpose(String id) {
        return browser.await(By.cssSelector("#ciam-consents li[data-purpose='" + id + "']"));
    }

    public String title(String purpose) {
        return purpose(purpose).findElement(By.tagName("h2")).getText();
    }

    /** The line saying what the user decided and when, e.g. "Given on 23 Nov 2026, 10:00 (version 1)". */
    public String state(String purpose) {
        return purpose(purpose).findElement(By.className("ciam-consent-state")).getText();
    }

    public boolean canChange(String purpose) {
        return !purpose(purpose).findElements(By.cssSelector("button.ciam-consent-change")).isEmpty();
    }

    /** Presses the purpose's button ("Give consent" or "Withdraw") and waits until the page shows the new state. */
    public PrivacyPage change(String purpose) {
        String before = state(purpose);
        purpose(purpose).findElement(By.cssSelector("button.ciam-consent-change")).click();
        browser.until(driver -> !state(purpose).equals(before) || !status().isEmpty());
        browser.until(driver -> !status().isEmpty());
        return this;
    }

    public String status() {
        return browser.driver().findElement(By.cssSelector("[role=status].ciam-consent-status")).getText();
    }

    /** The history rows' texts, newest first (read in one go: the list re-renders while it reloads). */
    @SuppressWarnings("unchecked")
    public List<String> history() {
        return (List<String>) ((JavascriptExecutor) browser.driver()).executeScript(
                "return Array.from(document.querySelectorAll('#ciam-consent-history tbody tr'), row => row.innerText);");
    }

    public PrivacyPage capture(String name) {
        browser.capture(name);
        return this;
    }
}
