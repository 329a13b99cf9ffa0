package org.ciampack.risk;

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
        String score = authSession.getAuthNote(RiskNotes.SCORE);
        String scored = authSession.getAuthNote(RiskNotes.SCORED_USER);
        if (score == null || (user != null && scored != null && !scored.equals(user.getId()))) {
            return; // no assessment, or one of another user (the flow's user changed since)
        }
        Map<String, String> forSession = authSession.getUserSessionNotes();
        event.detail(RiskNotes.EVENT_SCORE, score)
                .detail(RiskNotes.EVENT_LEVEL, authSession.getAuthNote(RiskNotes.LEVEL))
                .detail(RiskNotes.EVENT_REASONS, authSession.getAuthNote(RiskNotes.REASONS))
                .detail(RiskNotes.EVENT_SHADOW, authSession.getAuthNote(RiskNotes.SHADOW))
                .detail(RiskNotes.EVENT_DEVICE, forSession.get(RiskNotes.EVENT_DEVICE))
                .detail(RiskNotes.EVENT_USER_AGENT, forSession.get(RiskNotes.EVENT_USER_AGENT));
    }
}
