package org.ciampack.events.admin;

import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminRoot;

/** The admin behind a request: a bearer token of any realm on this server, checked by Keycloak's admin API itself. */
final class AdminCaller {

    private AdminCaller() {
    }

    static AdminAuth authenticate(KeycloakSession session) {
        // Keycloak verifies the token in its own realm and leaves that realm in the context: put the requested one back.
        KeycloakContext context = session.getContext();
        RealmModel requested = context.getRealm();
        try {
            return AdminRoot.authenticateRealmAdminRequest(session);
        } finally {
            context.setRealm(requested);
        }
    }
}
