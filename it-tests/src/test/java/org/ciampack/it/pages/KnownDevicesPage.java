package org.ciampack.it.pages;

import java.util.List;
import org.ciampack.it.harness.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/** "Known devices" in the account console (Account security), served by the ciam account theme. */
public final class KnownDevicesPage {

    private final Browser browser;

    private KnownDevicesPage(Browser browser) {
        this.browser = browser;
    }

    /** Opens the page from the console's navigation, as a customer would, and waits for the list. */
    public static KnownDevicesPage openFromMenu(Browser browser) {
        browser.until(driver -> !driver.findElements(By.linkText("Known devices")).isEmpty()
                || clickable(driver.findElements(By.xpath("//button[normalize-space()='Account security']"))));
        if (browser.driver().findElements(By.linkText("Known devices")).stream().noneMatch(WebElement::isDisplayed)) {
            browser.driver().findElement(By.xpath("//button[normalize-space()='Account security']")).click();
        }
        browser.await(By.linkText("Known devices")).click();
        browser.await(By.id("ciam-known-devices-title"));
        return new KnownDevicesPage(browser).awaitRows();
    }

    private static boolean clickable(List<WebElement> elements) {
        return elements.stream().anyMatch(WebElement::isDisplayed);
    }

    private KnownDevicesPage awaitRows() {
        browser.until(driver -> !driver.findElements(By.cssSelector("#ciam-known-devices tbody tr")).isEmpty()
                || !driver.findElements(By.id("ciam-no-devices")).isEmpty());
        return this;
    }

    /** The rows' texts, one string per device (read in one go: the list re-renders while it reloads). */
    @SuppressWarnings("unchecked")
    public List<String> devices() {
        return (List<String>) ((JavascriptExecutor) browser.driver()).executeScript(
                "return Array.from(document.querySelectorAll('#ciam-known-devices tbody tr'), row => row.innerText);");
    }

    public KnownDevicesPage capture(String name) {
        browser.capture(name);
        return this;
    }

    /** Presses "Remove" on the first device whose row contains the text, and waits for the list to shrink. */
    public KnownDevicesPage remove(String rowText) {
        int before = devices().size();
        WebElement row = browser.driver().findElements(By.cssSelector("#ciam-known-devices tbody tr")).stream()
                .filter(r -> r.getText().contains(rowText)).findFirst()
                .orElseThrow(() -> new AssertionError("no device row with " + rowText + " in " + devices()));
        row.findElement(By.cssSelector("button.ciam-forget-device")).click();
        browser.until(driver -> devices().size() < before);
        return this;
    }

    public String status() {
        return browser.driver().findElement(By.cssSelector("[role=status].ciam-device-status")).getText();
    }
}
