package org.ciampack.it.pages;

import java.util.List;
import org.ciampack.it.harness.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/** "Complete your profile": the questions progressive profiling asks at login (ciam-progressive-profiling). */
public final class ProfilingPage {

    private final Browser browser;

    public ProfilingPage(Browser browser) {
        this.browser = browser;
        browser.await(By.id("ciam-profiling-form"));
        browser.capture("profiling-page");
    }

    /** The attributes asked, in page order (the form's fields, hidden ones left out). */
    public List<String> questions() {
        return browser.driver().findElements(By.cssSelector("#ciam-profiling-form input, #ciam-profiling-form textarea,"
                        + " #ciam-profiling-form select")).stream()
                .filter(field -> !List.of("hidden", "submit").contains(field.getAttribute("type")))
                .map(field -> field.getAttribute("name")).distinct().toList();
    }

    public String intro() {
        return browser.driver().findElement(By.id("ciam-profiling-intro")).getText();
    }

    public String label(String attribute) {
        return browser.driver().findElement(By.cssSelector("label[for='" + attribute + "']")).getText();
    }

    /** Marked required (the theme's asterisk): the question may no longer be skipped. */
    public boolean required(String attribute) {
        return label(attribute).contains("*");
    }

    public boolean canSkip() {
        return !browser.driver().findElements(By.id("ciam-profiling-not-now")).isEmpty();
    }

    public void notNow() {
        browser.driver().findElement(By.id("ciam-profiling-not-now")).click();
    }

    public ProfilingPage fill(String attribute, String value) {
        WebElement field = field(attribute);
        // Set directly, as a paste would: typing 100 KB key by key would take minutes.
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1];", field, value);
        return this;
    }

    public String value(String attribute) {
        return field(attribute).getAttribute("value");
    }

    /** Adds a field the page does not have, as a hostile client would, before submitting. */
    public ProfilingPage forge(String name, String value) {
        ((JavascriptExecutor) browser.driver()).executeScript("const input = document.createElement('input');"
                + "input.type = 'hidden'; input.name = arguments[0]; input.value = arguments[1];"
                + "document.getElementById('ciam-profiling-form').appendChild(input);", name, value);
        return this;
    }

    public void save() {
        browser.driver().findElement(By.id("ciam-profiling-save")).click();
    }

    /** Saves and expects the page back with errors. */
    public ProfilingPage saveExpectingErrors() {
        save();
        ProfilingPage again = new ProfilingPage(browser);
        browser.capture("profiling-errors");
        return again;
    }

    /** The error shown under a field, or null. */
    public String error(String attribute) {
        return browser.driver().findElements(By.id("input-error-" + attribute)).stream().findFirst()
                .map(WebElement::getText).orElse(null);
    }

    private WebElement field(String attribute) {
        return browser.driver().findElement(By.name(attribute));
    }
}
