package org.ciampack.events.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ciampack.events.route.PiiPolicy.Mode;
import org.junit.jupiter.api.Test;

class PiiPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] KEY = "route-key".getBytes(StandardCharsets.UTF_8);

    private static ObjectNode envelope() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"id": "e1", "subject": "users/1", "data": {"type": "LOGIN", "ipAddress": "198.51.100.7",
                  "details": {"username": "Ada@Example.com", "redirect_uri": "https://app.acme.test/cb", "code_id": "c"},
                  "user": {"id": "u1", "username": "ada", "email": "Ada@Example.com"},
                  "auth": {"ipAddress": "203.0.113.9"},
                  "representation": {"email": "ada@example.com", "attributes": {"backup": ["ada.l@example.org"]}}}}
                """);
    }

    @Test
    void hashedEmailIsAKeyedHashOfTheLowerCasedAddressEverywhereEvenInAUsername() throws Exception {
        ObjectNode envelope = envelope();
        new PiiPolicy(Mode.HASH, Mode.KEEP, Mode.KEEP, Map.of()).apply(envelope, KEY);

        String hashed = PiiPolicy.hash(KEY, "ada@example.com", true);
        assertThat(hashed).matches("[0-9a-f]{64}");
        assertThat(envelope.at("/data/user/email").asText()).isEqualTo(hashed);
        assertThat(envelope.at("/data/details/username").asText()).as("a username that is an address").isEqualTo(hashed);
        assertThat(envelope.at("/data/representation/email").asText()).isEqualTo(hashed);
        assertThat(envelope.at("/data/user/username").asText()).as("not an address: kept").isEqualTo("ada");
        assertThat(envelope.toString()).doesNotContainIgnoringCase("example.com").doesNotContain("example.org");
    }

    @Test
    void ipAddressesCanBeDroppedAndChosenDetailsHashedOrDropped() throws Exception {
        ObjectNode envelope = envelope();
        new PiiPolicy(Mode.KEEP, Mode.KEEP, Mode.DROP, Map.of("redirect_uri", Mode.DROP, "code_id", Mode.HASH))
                .apply(envelope, KEY);

        assertThat(envelope.at("/data/ipAddress").isMissingNode()).isTrue();
        assertThat(envelope.at("/data/auth/ipAddress").isMissingNode()).isTrue();
        assertThat(envelope.at("/data/details/redirect_uri").isMissingNode()).isTrue();
        assertThat(envelope.at("/data/details/code_id").asText()).isEqualTo(PiiPolicy.hash(KEY, "c", false));
        assertThat(envelope.at("/data/user/email").asText()).isEqualTo("Ada@Example.com");
    }

    @Test
    void keepingEverythingChangesNothingAndHashingWithoutAKeyIsRefused() throws Exception {
        ObjectNode envelope = envelope();
        String before = envelope.toString();
        PiiPolicy.KEEP_ALL.apply(envelope, null);
        assertThat(envelope.toString()).isEqualTo(before);
        assertThatThrownBy(() -> new PiiPolicy(Mode.HASH, Mode.KEEP, Mode.KEEP, Map.of()).apply(envelope(), null))
                .hasMessageContaining("pii.hashKey");
    }

    @Test
    void theSameValueHashesDifferentlyUnderAnotherKey() {
        assertThat(PiiPolicy.hash(KEY, "198.51.100.7", false))
                .isNotEqualTo(PiiPolicy.hash("other".getBytes(StandardCharsets.UTF_8), "198.51.100.7", false));
    }

    @Test
    void unknownModesAreReportedByField() throws Exception {
        List<String> problems = new ArrayList<>();
        PiiPolicy.parse(JSON.readTree("{\"email\": \"mask\", \"details\": {\"x\": \"encrypt\"}}"), problems);
        assertThat(problems).containsExactly("pii.email must be keep, hash or drop",
                "pii.details.x must be keep, hash or drop");
    }
}
