package org.ciampack.it.pages;

import static org.assertj.core.api.Assertions.assertThat;

import org.ciampack.it.harness.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/** The realm's username/password page, as the ciam theme renders it. */
public final class LoginPage {

    private final Browser browser;

    public LoginPage(Browser browser) {
        this.browser = browser;
        browser.await(By.id("kc-form-login"));
    }

    /** The brand logo heads the page and the brand stylesheet is loaded. */
    public LoginPage assertBranded() {
        browser.capture("login-page");
        assertThat(browser.driver().findElements(By.cssSelector("#kc-header .kc-logo-text.ciam-brand"))).hasSize(1);
        assertThat(browser.driver().findElements(By.cssSelector("link[href*='/login/ciam/css/ciam.css']"))).hasSize(1);
        String logo = (String) ((JavascriptExecutor) browser.driver()).executeScript(
                "return getComputedStyle(document.querySelector('#kc-header .kc-logo-text')).backgroundImage;");
        assertThat(logo).contains("/login/ciam/img/logo.svg");
        return this;
    }

    public RegistrationPage openRegistration() {
        browser.await(By.cssSelector("#kc-registration a")).click();
        return new RegistrationPage(browser);
    }

    public void signIn(String email, String password) {
        browser.await(By.id("username")).sendKeys(email);
        browser.driver().findElement(By.id("password")).sendKeys(password);
        browser.capture("login-filled");
        browser.driver().findElement(By.id("kc-login")).click();
    }
}
