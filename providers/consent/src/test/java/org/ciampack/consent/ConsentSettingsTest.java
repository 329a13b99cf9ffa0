package org.ciampack.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsentSettingsTest {

    @Test
    void truncatedAddressesKeepTheNetworkOnly() {
        ConsentSettings settings = ConsentSettings.DEFAULTS;
        assertThat(settings.keep("198.51.100.77")).isEqualTo("198.51.100.0");
        assertThat(settings.keep("2001:db8:abcd:12::1")).isEqualTo("2001:db8:abcd:0:0:0:0:0");
        assertThat(new ConsentSettings(ConsentSettings.IpPolicy.FULL, ConsentSettings.OnUserRemoved.DELETE, ConsentSettings.DEFAULT_PSEUDONYM_KEY, 20)
                .keep("198.51.100.77")).isEqualTo("198.51.100.77");
        assertThat(new ConsentSettings(ConsentSettings.IpPolicy.NONE, ConsentSettings.OnUserRemoved.DELETE, ConsentSettings.DEFAULT_PSEUDONYM_KEY, 20)
                .keep("198.51.100.77")).isNull();
    }

    @Test
    void whatIsNotAnAddressIsNotKept() {
        assertThat(ConsentSettings.DEFAULTS.keep("evil.example")).isNull();
        assertThat(ConsentSettings.DEFAULTS.keep("<script>")).isNull();
        assertThat(ConsentSettings.DEFAULTS.keep(null)).isNull();
    }

    @Test
    void changesAreCheckedOneProblemPerSentence() throws Exception {
        List<String> problems = new ArrayList<>();
        assertThat(ConsentSettings.DEFAULTS.change(new ObjectMapper().readTree(
                "{\"ipAddress\": \"half\", \"onUserRemoved\": \"keep\"}"), problems)).isEmpty();
        assertThat(problems).containsExactly("ipAddress must be 'full', 'truncated' or 'none'",
                "onUserRemoved must be 'pseudonymize' or 'delete'");
        ConsentSettings changed = ConsentSettings.DEFAULTS.change(new ObjectMapper().readTree(
                "{\"onUserRemoved\": \"delete\"}"), new ArrayList<>()).orElseThrow();
        assertThat(ConsentSettings.read(changed.toJson().toString())).isEqualTo(
                new ConsentSettings(ConsentSettings.IpPolicy.TRUNCATED, ConsentSettings.OnUserRemoved.DELETE,
                        "${vault.consent-pseudonym-key}", 20));
    }

    @Test
    void thePseudonymKeyIsOnlyEverTheNameOfAVaultSecretAndTheRateAWholeNumberInRange() throws Exception {
        List<String> problems = new ArrayList<>();
        assertThat(ConsentSettings.DEFAULTS.change(new ObjectMapper().readTree(
                "{\"pseudonymKey\": \"my-literal-secret\", \"decisionsPerMinute\": 0}"), problems)).isEmpty();
        assertThat(problems).containsExactly("pseudonymKey must name a vault secret whose key starts with 'consent-', "
                + "e.g. ${vault.consent-pseudonym-key}",
                "decisionsPerMinute must be a whole number from 1 to 1000");
        problems.clear();
        assertThat(ConsentSettings.DEFAULTS.change(new ObjectMapper().readTree("{\"decisionsPerMinute\": 2.5}"),
                problems)).isEmpty();
        ConsentSettings changed = ConsentSettings.DEFAULTS.change(new ObjectMapper().readTree(
                "{\"pseudonymKey\": \"${vault.consent-ledger-key}\", \"decisionsPerMinute\": 5}"), new ArrayList<>())
                .orElseThrow();
        assertThat(ConsentSettings.read(changed.toJson().toString())).isEqualTo(new ConsentSettings(
                ConsentSettings.IpPolicy.TRUNCATED, ConsentSettings.OnUserRemoved.PSEUDONYMIZE, "${vault.consent-ledger-key}", 5));
        assertThat(ConsentSettings.read("{\"pseudonymKey\": \"literal\", \"decisionsPerMinute\": 99999}"))
                .as("a hand-edited attribute falls back to the defaults").isEqualTo(ConsentSettings.DEFAULTS);
    }

    @Test
    void thePseudonymKeyCannotNameAnotherOfTheRealmsSecrets() throws Exception {
        for (String other : List.of("${vault.smtp-password}", "${vault.export-hash-key}", "${vault.consent-../smtp}",
                "${vault.consent-}")) {
            List<String> problems = new ArrayList<>();
            assertThat(ConsentSettings.DEFAULTS.change(new ObjectMapper().readTree(
                    "{\"pseudonymKey\": \"" + other + "\"}"), problems)).as(other).isEmpty();
            assertThat(ConsentSettings.read("{\"pseudonymKey\": \"" + other + "\"}").pseudonymKey())
                    .as(other + " written into the realm attribute directly").isEqualTo(ConsentSettings.DEFAULT_PSEUDONYM_KEY);
        }
    }
}
