package org.ciampack.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.junit.jupiter.api.Test;

class EnvelopeLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EnvelopeLimit LIMIT = new EnvelopeLimit(20_000);

    @Test
    void anEnvelopeWithinTheLimitIsKeptWhole() throws Exception {
        ObjectNode envelope = consentEvent("note", "n".repeat(5_000));
        String whole = JSON.writeValueAsString(envelope);

        assertThat(LIMIT.text(envelope)).isEqualTo(whole);
    }

    @Test
    void aLargeProfileGoesFirstAndTheDecisionsStay() throws Exception {
        ObjectNode envelope = consentEvent("note", "short");
        profile(envelope, "user").putObject("attributes").putArray("bio").add("z".repeat(30_000));

        JsonNode kept = JSON.readTree(LIMIT.text(envelope));

        assertThat(kept.at("/data/user/id").asText()).isEqualTo("user-uuid");
        assertThat(kept.at("/data/user/email").asText()).isEqualTo("jane@acme.test");
        assertThat(kept.at("/data/user/attributes").isMissingNode()).isTrue();
        assertThat(kept.at("/data/user/profileOmitted").asText()).isEqualTo("the event is longer than 20000 characters");
        assertThat(kept.at("/data/details/consent_purpose").asText()).isEqualTo("privacy,terms,marketing_email");
        assertThat(kept.at("/data/details/consent_decision").asText()).isEqualTo("granted,granted,withdrawn");
        assertThat(kept.at("/data/details/note").asText()).isEqualTo("short");
    }

    @Test
    void thenOnlyTheLargeDetailValuesGoAndSayHowLongTheyWere() throws Exception {
        ObjectNode envelope = consentEvent("note", "n".repeat(25_000));

        JsonNode kept = JSON.readTree(LIMIT.text(envelope));

        assertThat(kept.at("/data/details/note").asText())
                .isEqualTo("(omitted: 25000 characters; the event is longer than 20000 characters)");
        assertThat(kept.at("/data/details/consent_receipt").asText()).isEqualTo("r-1,r-2,r-3");
        assertThat(kept.at("/data/user/username").asText()).isEqualTo("jane@acme.test");
    }

    @Test
    void atLastAnAdminEventKeepsWhatHappenedAndToWhom() throws Exception {
        AdminEvent update = EventEnvelopeTest.adminEvent(OperationType.UPDATE, ResourceType.USER, "users/user-uuid",
                "{\"bio\":\"" + "b".repeat(19_000) + "\"}");
        update.setId("6f1c0a7e-0000-4000-8000-000000000009");
        update.setDetails(Map.of("a", "x".repeat(3_000), "b", "y".repeat(3_000)));
        ObjectNode envelope = EventEnvelope.of(update, true);
        profile(envelope, "targetUser");

        String text = LIMIT.text(envelope);
        JsonNode kept = JSON.readTree(text);

        assertThat(text.length()).isLessThanOrEqualTo(20_000);
        assertThat(kept.get("id").asText()).isEqualTo("6f1c0a7e-0000-4000-8000-000000000009");
        assertThat(kept.get("type").asText()).isEqualTo("org.ciampack.keycloak.admin.USER.UPDATE");
        assertThat(kept.at("/data/resourcePath").asText()).isEqualTo("users/user-uuid");
        assertThat(kept.at("/data/targetUser/id").asText()).isEqualTo("user-uuid");
        assertThat(kept.at("/data/representation").isMissingNode()).isTrue();
        assertThat(kept.at("/data/details").isMissingNode()).isTrue();
        assertThat(kept.at("/data/omitted").asText()).isEqualTo("the event is longer than 20000 characters");
    }

    private static ObjectNode consentEvent(String detail, String value) {
        Event consent = new Event();
        consent.setId("6f1c0a7e-0000-4000-8000-000000000008");
        consent.setTime(1_796_000_000_000L);
        consent.setType(EventType.UPDATE_CONSENT);
        consent.setRealmId("realm-uuid");
        consent.setRealmName("acme");
        consent.setUserId("user-uuid");
        consent.setDetails(Map.of("consent_purpose", "privacy,terms,marketing_email",
                "consent_decision", "granted,granted,withdrawn", "consent_receipt", "r-1,r-2,r-3", detail, value));
        ObjectNode envelope = EventEnvelope.of(consent);
        profile(envelope, "user");
        return envelope;
    }

    private static ObjectNode profile(ObjectNode envelope, String field) {
        ObjectNode user = ((ObjectNode) envelope.get("data")).putObject(field);
        return user.put("id", "user-uuid").put("username", "jane@acme.test").put("email", "jane@acme.test");
    }
}
