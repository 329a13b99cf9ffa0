package org.ciampack.consent;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The purposes and versions a consent page showed. An answer is recorded only against what the customer read: if
 * an admin published a version or a purpose between the page and its answer, the page is shown again with the new
 * text instead of recording a grant of wording the customer never saw (or a decline of a purpose never shown). The
 * page itself says what it showed (the {@value #FIELD} field of the pack's purpose list), since two windows of one
 * sign-in share one authentication session; a page of a theme's own without the field is held to what the session's
 * last page showed.
 */
final class ShownPurposes {

    static final String CHANGED_MESSAGE = "ciamConsentChanged";
    static final String FIELD = "consentShown";
    private static final String NOTE = "ciam.consent.shown";
    private static final int MAX_FIELD = 8192;

    private ShownPurposes() {
    }

    static void remember(AuthenticationSessionModel authSession, List<ConsentPurpose> shown) {
        authSession.setAuthNote(NOTE, String.join(",", keys(shown)));
    }

    /** Whether the answered form carried the purpose list at all (a registration form of another theme does not). */
    static boolean onPage(MultivaluedMap<String, String> form) {
        return form != null && form.containsKey(FIELD);
    }

    /** Whether the page answered showed exactly these purposes, in these versions. */
    static boolean answers(AuthenticationSessionModel authSession, MultivaluedMap<String, String> form,
            List<ConsentPurpose> due) {
        Set<String> shown = shown(authSession, form);
        return shown != null && keys(due).equals(shown);
    }

    /** The form's answers less the ticks given to versions that are no longer the ones asked. */
    static MultivaluedMap<String, String> stillValid(AuthenticationSessionModel authSession, List<ConsentPurpose> asked,
            MultivaluedMap<String, String> form) {
        Set<String> shown = Optional.ofNullable(shown(authSession, form)).orElse(Set.of());
        MultivaluedMap<String, String> kept = new MultivaluedHashMap<>(form);
        asked.stream().filter(purpose -> !shown.contains(key(purpose)))
                .forEach(purpose -> kept.remove(ConsentForm.field(purpose)));
        return kept;
    }

    /** What the answered page showed, by its own field, else by the session's note; null when neither says. */
    private static Set<String> shown(AuthenticationSessionModel authSession, MultivaluedMap<String, String> form) {
        String field = form == null ? null : form.getFirst(FIELD);
        String shown = field != null ? field : authSession.getAuthNote(NOTE);
        if (shown == null || shown.length() > MAX_FIELD) {
            return null;
        }
        return Arrays.stream(shown.split(",")).filter(key -> !key.isEmpty()).collect(Collectors.toSet());
    }

    private static Set<String> keys(List<ConsentPurpose> purposes) {
        return purposes.stream().map(ShownPurposes::key).collect(Collectors.toSet());
    }

    private static String key(ConsentPurpose purpose) {
        return purpose.id() + ":" + purpose.version();
    }
}
