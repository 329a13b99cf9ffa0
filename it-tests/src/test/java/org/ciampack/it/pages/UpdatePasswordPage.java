package org.ciampack.it.pages;

import org.ciampack.it.harness.Browser;
import org.openqa.selenium.By;

/** Choosing a password: after registration's e-mail verification, or when an admin asks for a new one. */
public final class UpdatePasswordPage {

    private final Browser browser;

    public UpdatePasswordPage(Browser browser) {
        this.browser = browser;
        browser.await(By.id("kc-passwd-update-form"));
    }

    public void choose(String password) {
        browser.await(By.id("password-new")).sendKeys(password);
        browser.driver().findElement(By.id("password-confirm")).sendKeys(password);
        browser.capture("choose-password");
        browser.driver().findElement(By.cssSelector("#kc-passwd-update-form [type=submit]")).click();
    }
}
