package org.ciampack.events.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.ciampack.common.AddressPolicy;
import org.junit.jupiter.api.Test;

class LiteralDestinationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AddressPolicy DEMO = AddressPolicy.allowing(List.of("127.0.0.1/32"));

    private static List<String> problems(String settings) throws Exception {
        List<String> problems = new ArrayList<>();
        LiteralDestinations.check(JSON.readTree(settings), DEMO, problems);
        return problems;
    }

    @Test
    void addressesTheServerDoesNotSendToAreRefusedAtSave() throws Exception {
        assertThat(problems("{\"url\": \"http://127.0.0.2:9000/metrics\"}")).singleElement().asString()
                .startsWith("settings.url: destination refused: 127.0.0.2 is a loopback address");
        assertThat(problems("{\"url\": \"http://[::1]:9000/\"}")).hasSize(1);
        assertThat(problems("{\"host\": \"169.254.169.254\"}")).singleElement().asString().startsWith("settings.host:");
    }

    @Test
    void allowedAddressesNamesAndVaultUrlsPassUntilConnectTime() throws Exception {
        assertThat(problems("{\"url\": \"http://127.0.0.1:8090/crm\"}")).isEmpty();
        assertThat(problems("{\"url\": \"http://localhost:8090/crm\"}")).as("localhost: 127.0.0.1 may be reached").isEmpty();
        assertThat(problems("{\"url\": \"https://siem.example.com/in\"}")).isEmpty();
        assertThat(problems("{\"url\": \"${vault.export-crm-url}\"}")).isEmpty();
        assertThat(problems("{\"url\": \"ftp://exa mple\"}")).as("the sink names a malformed URL").isEmpty();
    }

    @Test
    void oldDeadRowsShowTheStatusWithoutTheBody() {
        assertThat(ExportResource.withoutBody("HTTP 500: {\"secret\":\"x\"}")).isEqualTo("HTTP 500");
        assertThat(ExportResource.withoutBody("paused automatically; last error: HTTP 503: down")).endsWith("HTTP 503");
        assertThat(ExportResource.withoutBody("HTTP 400 Bad Request")).isEqualTo("HTTP 400 Bad Request");
        assertThat(ExportResource.withoutBody("HTTP 502: <html>\n<p>token=abc</p>\n</html>")).isEqualTo("HTTP 502");
        assertThat(ExportResource.withoutBody(null)).isNull();
    }
}
