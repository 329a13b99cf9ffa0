package org.ciampack.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Decisions made before the account exists (the consent step of first-broker-login), kept in the authentication
 * session until the consent required action can write them for the new user.
 */
final class PendingConsents {

    private static final String NOTE = "ciam.consent.pending";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PendingConsents() {
    }

    static void keep(AuthenticationSessionModel authSession, List<Choice> choices) {
        ArrayNode list = JSON.createArrayNode();
        choices.forEach(choice -> list.addObject().put("purpose", choice.purpose()).put("version", choice.version())
                .put("decision", choice.decision().id()));
        authSession.setAuthNote(NOTE, list.toString());
    }

    static boolean present(AuthenticationSessionModel authSession) {
        return authSession.getAuthNote(NOTE) != null;
    }

    /** The kept decisions, removed from the session (they are written once). */
    static List<Choice> take(AuthenticationSessionModel authSession) {
        String note = authSession.getAuthNote(NOTE);
        if (note == null) {
            return List.of();
        }
        authSession.removeAuthNote(NOTE);
        List<Choice> choices = new ArrayList<>();
        try {
            for (JsonNode entry : JSON.readTree(note)) {
                Optional<Decision> decision = Decision.parse(entry.path("decision").asText(null));
                decision.ifPresent(d -> choices.add(new Choice(entry.path("purpose").asText(), entry.path("version").asInt(), d)));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable pending consents in the authentication session", e);
        }
        return choices;
    }
}
