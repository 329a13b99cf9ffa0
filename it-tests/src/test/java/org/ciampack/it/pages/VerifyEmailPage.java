package org.ciampack.it.pages;

import static org.assertj.core.api.Assertions.assertThat;

import org.ciampack.it.harness.Browser;
import org.openqa.selenium.By;

/** "Verify your e-mail": the VERIFY_EMAIL required action, shown until the link in the mail is followed. */
public final class VerifyEmailPage {

    VerifyEmailPage(Browser browser, String email) {
        browser.until(driver -> driver.getCurrentUrl().contains("execution=VERIFY_EMAIL"));
        String text = browser.await(By.tagName("body")).getText();
        browser.capture("verify-email-page");
        assertThat(text).contains(email);
    }
}
