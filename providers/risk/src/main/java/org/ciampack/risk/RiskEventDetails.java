package org.ciampack.risk;

import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The sign-in's assessment as event details. Keycloak gives each request of a login its own event, so a login that
 * ends in a later request than the risk step's (a step-up answered, a required action, an identity provider's post
 * login flow) would end in a LOGIN event without them: they are put back from the authentication session.
 */
final class RiskEventDetails {

    private RiskEventDetails() {
    }

    /** Adds the assessment of {@code user}'s sign-in to the event; nothing when the session holds none of theirs. */
    static void restore(AuthenticationSessionModel authSession, UserModel user, EventBuilder event) {
        of(authSession, user).forEach(event::detail);
    }

    /**
     * The details of the assessment the session holds for {@code user} (any user's when null), absent ones left out;
     * none when it holds no assessment, or one of another user (the flow's user changed since).
     */
    static Map<String, String> of(AuthenticationSessionModel authSession, UserModel user) {
        Map<String, String> details = new LinkedHashMap<>();
        String score = authSession.getAuthNote(RiskNotes.SCORE);
        String scored = authSession.getAuthNote(RiskNotes.SCORED_USER);
        if (score == null || (user != null && scored != null && !scored.equals(user.getId()))) {
            return details;
        }
        Map<String, String> forSession = authSession.getUserSessionNotes();
        details.put(RiskNotes.EVENT_SCORE, score);
        details.put(RiskNotes.EVENT_LEVEL, authSession.getAuthNote(RiskNotes.LEVEL));
        details.put(RiskNotes.EVENT_REASONS, authSession.getAuthNote(RiskNotes.REASONS));
        details.put(RiskNotes.EVENT_SHADOW, authSession.getAuthNote(RiskNotes.SHADOW));
        details.put(RiskNotes.EVENT_DEVICE, forSession.get(RiskNotes.EVENT_DEVICE));
        details.put(RiskNotes.EVENT_USER_AGENT, forSession.get(RiskNotes.EVENT_USER_AGENT));
        details.values().removeIf(value -> value == null);
        return details;
    }
}
