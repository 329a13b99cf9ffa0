package org.ciampack.it.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.ciampack.it.harness.Browser;
import org.openqa.selenium.By;

/** Keycloak's account console for the signed-in user. */
public final class AccountConsole {

    private final Browser browser;

    public AccountConsole(Browser browser) {
        this.browser = browser;
    }

    public static URI url(URI realmUrl) {
        return URI.create(realmUrl + "/account/");
    }

    /** Waits until the console shows the personal-info form of the user with this e-mail. */
    public AccountConsole assertSignedInAs(String email) {
        browser.until(driver -> driver.getCurrentUrl().contains("/account"));
        browser.until(driver -> driver.findElements(By.id("email")).stream()
                .anyMatch(field -> email.equals(field.getAttribute("value"))));
        browser.capture("account-console");
        assertThat(browser.currentUrl()).doesNotContain("login-actions");
        return this;
    }
}
