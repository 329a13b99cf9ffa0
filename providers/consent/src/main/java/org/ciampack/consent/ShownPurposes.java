package org.ciampack.consent;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The purposes and versions a consent page showed. An answer is recorded only against what the customer read: if
 * an admin published a version or a purpose between the page and its answer, the page is shown again with the new
 * text instead of recording a grant of wording the customer never saw (or a decline of a purpose never shown).
 */
final class ShownPurposes {

    static final String CHANGED_MESSAGE = "ciamConsentChanged";
    private static final String NOTE = "ciam.consent.shown";

    private ShownPurposes() {
    }

    static void remember(AuthenticationSessionModel authSession, List<ConsentPurpose> shown) {
        authSession.setAuthNote(NOTE, String.join(",", keys(shown)));
    }

    /** Whether the page answered showed exactly these purposes, in these versions. */
    static boolean answers(AuthenticationSessionModel authSession, List<ConsentPurpose> due) {
        return authSession.getAuthNote(NOTE) != null && keys(due).equals(shown(authSession));
    }

    /** The form's answers less the ticks given to versions that are no longer the ones asked. */
    static MultivaluedMap<String, String> stillValid(AuthenticationSessionModel authSession, List<ConsentPurpose> asked,
            MultivaluedMap<String, String> form) {
        Set<String> shown = shown(authSession);
        MultivaluedMap<String, String> kept = new MultivaluedHashMap<>(form);
        asked.stream().filter(purpose -> !shown.contains(key(purpose)))
                .forEach(purpose -> kept.remove(ConsentForm.field(purpose)));
        return kept;
    }

    private static Set<String> shown(AuthenticationSessionModel authSession) {
        String note = authSession.getAuthNote(NOTE);
        return note == null ? Set.of()
                : Arrays.stream(note.split(",")).filter(key -> !key.isEmpty()).collect(Collectors.toSet());
    }

    private static Set<String> keys(List<ConsentPurpose> purposes) {
        return purposes.stream().map(ShownPurposes::key).collect(Collectors.toSet());
    }

    private static String key(ConsentPurpose purpose) {
        return purpose.id() + ":" + purpose.version();
    }
}
