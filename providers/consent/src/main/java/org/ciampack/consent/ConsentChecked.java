package org.ciampack.consent;

import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Whether this login has settled the user's consents already (the flow step found nothing due or took the answers,
 * or the registration form took them): the required action's check after the flow then reads no ledger again.
 */
final class ConsentChecked {

    private static final String NOTE = "ciam.consent.checked";

    private ConsentChecked() {
    }

    static void mark(AuthenticationSessionModel authSession) {
        authSession.setAuthNote(NOTE, "true");
    }

    static boolean done(AuthenticationSessionModel authSession) {
        return "true".equals(authSession.getAuthNote(NOTE));
    }
}
