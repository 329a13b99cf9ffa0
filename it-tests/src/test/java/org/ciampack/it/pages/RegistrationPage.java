package org.ciampack.it.pages;

import static org.assertj.core.api.Assertions.assertThat;

import org.ciampack.it.harness.Browser;
import org.openqa.selenium.By;

/**
 * Self-registration. With e-mail as username and e-mail verification on, Keycloak 26.7 asks only for the address
 * (and optional profile fields) here; the password is chosen after the address is proven, so nobody can squat an
 * account on someone else's address.
 */
public final class RegistrationPage {

    private final Browser browser;

    RegistrationPage(Browser browser) {
        this.browser = browser;
        browser.await(By.id("kc-register-form"));
    }

    public VerifyEmailPage register(String email) {
        browser.capture("registration-page");
        assertThat(browser.driver().findElements(By.id("username")))
                .as("no separate username field when e-mail is the username").isEmpty();
        assertThat(browser.driver().findElements(By.id("password")))
                .as("the password is set after the e-mail is verified").isEmpty();
        browser.await(By.id("email")).sendKeys(email);
        browser.capture("registration-filled");
        browser.driver().findElement(By.cssSelector("#kc-register-form [type=submit]")).click();
        return new VerifyEmailPage(browser, email);
    }
}
