package org.ciampack.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Debian's headless Chromium driven by Selenium. Every page a test asserts on is kept as a numbered screenshot
 * under target/screenshots/&lt;test class&gt;/&lt;test&gt;/, so a reviewer can see what the user saw.
 */
public final class Browser implements AutoCloseable {

    /** Where the demo realm's apps (acme-web, acme-shop) are sent back to. */
    static final String APPS = "http://localhost:5173/";

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final WebDriver driver;
    private final Path screenshots;
    private int shot;

    private Browser(WebDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    static Browser start(Path screenshots) {
        deleteOldScreenshots(screenshots);
        Path chromium = Path.of(System.getProperty("ciam.it.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("ciam.it.chromedriver", "/usr/bin/chromedriver"));
        for (Path binary : new Path[] {chromium, chromedriver}) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: install Chromium with 'apt-get install -y chromium "
                        + "chromium-driver', or set -Dciam.it.chromium and -Dciam.it.chromedriver.");
            }
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--disable-quic", "--window-size=1280,1000", "--lang=en-US");
        // The page's console (script errors, failed requests) is kept for the failure report.
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        // An explicit driver binary keeps Selenium Manager from trying to download one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), screenshots);
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Loads the address and waits for the page. The demo apps' redirect URIs point at {@value #APPS}, where no app
     * runs in the tests: a navigation that ends there is a journey's end (the test reads the address), although
     * Chromium reports the refused connection as an error of the load.
     */
    public void open(URI uri) {
        try {
            driver.get(uri.toString());
        } catch (WebDriverException e) {
            if (!driver.getCurrentUrl().startsWith(APPS)) {
                throw e;
            }
        }
    }

    /**
     * Every request this browser sends from now on says it comes from {@code address} (X-Forwarded-For, which the
     * server under test takes from its local proxy), as a customer at that address would be seen.
     */
    public Browser from(String address) {
        HasCdp cdp = (HasCdp) driver;
        cdp.executeCdpCommand("Network.enable", Map.of());
        cdp.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("X-Forwarded-For", address)));
        return this;
    }

    /** Drops every cookie, as a new browser on another device starts: no session, no device the server knows. */
    public Browser forgetCookies() {
        ((HasCdp) driver).executeCdpCommand("Network.clearBrowserCookies", Map.of());
        return this;
    }

    /**
     * A passkey store of the device (a platform authenticator, as a phone's or laptop's) that verifies its user at
     * once: {@code navigator.credentials} create and get are answered by it, with no dialog.
     */
    public VirtualAuthenticator passkeys() {
        return ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true));
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    public WebElement await(By locator) {
        return until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** Waits for the condition; an element that a page being replaced took away is looked for again. */
    public <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition::apply);
    }

    /** Saves a screenshot of the current page as NN-name.png and returns its path. */
    public Path capture(String name) {
        try {
            Files.createDirectories(screenshots);
            Path target = screenshots.resolve(String.format("%02d-%s.png", ++shot, name));
            Path taken = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.move(taken, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's console messages since the last call, one per line. */
    public String console() {
        return String.join("\n", driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::toString).toList());
    }

    private static void deleteOldScreenshots(Path dir) {
        try (Stream<Path> old = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
