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

    /** Registers, accepting the realm's required consents (and leaving optional ones unticked). */
    public VerifyEmailPage register(String email) {
        return register(email, "consent.terms", "consent.privacy");
    }

    /** Registers, ticking exactly the named consent boxes (e.g. {@code consent.terms}). */
    public VerifyEmailPage register(String email, String... consents) {
        submit(email, consents);
        return new VerifyEmailPage(browser, email);
    }

    /** Submits the form, ticking exactly the named consent boxes, and stays on whatever page comes back. */
    public void submit(String email, String... consents) {
        browser.capture("registration-page");
        assertThat(browser.driver().findElements(By.id("username")))
                .as("no separate username field when e-mail is the username").isEmpty();
        assertThat(browser.driver().findElements(By.id("password")))
                .as("the password is set after the e-mail is verified").isEmpty();
        browser.await(By.id("email")).clear();
        browser.await(By.id("email")).sendKeys(email);
        for (String consent : consents) {
            if (!browser.driver().findElement(By.id(consent)).isSelected()) {
                browser.driver().findElement(By.id(consent)).click();
            }
        }
        browser.capture("registration-filled");
        browser.driver().findElement(By.cssSelector("#kc-register-form [type=submit]")).click();
    }

    /** The error shown under a field, or null. */
    public String fieldError(String field) {
        var errors = browser.driver().findElements(By.id(field + "-error"));
        return errors.isEmpty() ? null : errors.get(0).getText();
    }
}
