package org.ciampack.events.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteSecretsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> problems(String definition) throws Exception {
        List<String> problems = new ArrayList<>();
        RouteSecrets.check(JSON.readTree(definition), problems);
        return problems;
    }

    @Test
    void secretsFromTheExportsVaultKeysAreAccepted() throws Exception {
        assertThat(problems("{\"settings\": {\"url\": \"${vault.export-crm-url}\", \"secret\": \"${vault.export-crm}\", "
                + "\"previousSecret\": \"${vault.export-crm-old}\", \"token\": \"${vault.export-hec_token}\"}, "
                + "\"pii\": {\"hashKey\": \"${vault.export-hash-key}\"}}")).isEmpty();
    }

    @Test
    void secretsInClearAreRefusedWithHowToUseTheVault() throws Exception {
        List<String> problems = problems("{\"settings\": {\"secret\": \"whsec_abc\", \"token\": \"t\"}, "
                + "\"pii\": {\"hashKey\": \"k\"}}");
        assertThat(problems).hasSize(3);
        assertThat(problems).allMatch(problem -> problem.contains("must come from the vault")
                && problem.contains("${vault.export-<name>}"));
        assertThat(String.join(" ", problems)).doesNotContain("whsec_abc");
    }

    @Test
    void vaultKeysOutsideTheExportsAreRefusedWhereverTheyAre() throws Exception {
        assertThat(problems("{\"settings\": {\"secret\": \"${vault.smtp-password}\"}}"))
                .singleElement().asString().contains("settings.secret").contains("'export-'");
        assertThat(problems("{\"settings\": {\"index\": \"${vault.db_password}\"}}"))
                .singleElement().asString().contains("settings.index");
        assertThat(problems("{\"settings\": {\"mapping\": {\"email\": \"x-${vault.export-a}\"}}}"))
                .singleElement().asString().contains("whole value");
        assertThat(problems("{\"settings\": {\"secret\": \"${vault.export-../../etc}\"}}")).hasSize(1);
        assertThat(problems("{\"settings\": {\"secret\": \"${vault.exporter}\"}}")).hasSize(1);
    }

    @Test
    void keysAreReadOnlyWithThePrefix() {
        assertThat(RouteSecrets.allowedKey("export-siem")).isTrue();
        assertThat(RouteSecrets.allowedKey("export-")).isFalse();
        assertThat(RouteSecrets.allowedKey("admin-password")).isFalse();
        assertThat(RouteSecrets.vaultKey("${vault.export-x}")).isEqualTo("export-x");
        assertThat(RouteSecrets.vaultKey("plain")).isNull();
    }
}
