package org.ciampack.it.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.ciampack.it.harness.Browser;
import org.openqa.selenium.By;

/** The realm's end-session endpoint: asks for confirmation, then ends the SSO session. */
public final class LogoutPage {

    private LogoutPage() {
    }

    public static void logOut(Browser browser, URI realmUrl) {
        browser.open(URI.create(realmUrl + "/protocol/openid-connect/logout"));
        browser.await(By.id("kc-logout"));
        browser.capture("logout-confirm");
        browser.driver().findElement(By.id("kc-logout")).click();
        browser.until(driver -> driver.getPageSource().contains("You are logged out"));
        browser.capture("logged-out");
        assertThat(browser.driver().findElements(By.id("kc-logout"))).isEmpty();
    }
}
