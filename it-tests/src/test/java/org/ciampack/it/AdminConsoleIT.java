package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/** What an admin sees: the pack's steps in Keycloak's own flow editor, with their names and configuration. */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
@Tag("local-distribution")
class AdminConsoleIT {

    @Test
    void theDemoBrowserFlowShowsTheRiskSteps(ServerUnderTest server, Browser browser) {
        browser.open(URI.create(server.baseUrl() + "/admin/master/console/#/acme/authentication"));
        browser.await(By.id("username")).sendKeys("admin");
        browser.driver().findElement(By.id("password")).sendKeys("admin");
        browser.driver().findElement(By.id("kc-login")).click();

        browser.await(By.linkText("ciam browser")).click();
        browser.until(driver -> driver.getPageSource().contains("CIAM risk assessment"));
        browser.until(driver -> driver.getPageSource().contains("Condition - CIAM risk level"));
        // The pack's part of the flow in view: from the risk step down.
        ((JavascriptExecutor) browser.driver()).executeScript(
                "const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
                + "while (walker.nextNode()) {"
                + "  if (walker.currentNode.nodeValue.includes('CIAM risk assessment')) {"
                + "    walker.currentNode.parentElement.scrollIntoView(true); break; } }");
        browser.capture("admin-flow-editor");

        String page = browser.driver().getPageSource();
        assertThat(page).contains("CIAM e-mail code").contains("ciam deny high risk").contains("ciam step-up medium risk");
        // Badged as a condition, like Keycloak's own, not as a step.
        Object row = ((JavascriptExecutor) browser.driver()).executeScript(
                "const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
                + "while (walker.nextNode()) {"
                + "  if (walker.currentNode.nodeValue.includes('Condition - CIAM risk level')) {"
                + "    return walker.currentNode.parentElement.closest('tr').innerText; } }"
                + "return null;");
        assertThat(String.valueOf(row).strip()).startsWith("condition");
    }
}
