package org.ciampack.events.admin;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resources.admin.AdminAuth;

/** The admin behind a request, as the pack's common admin caller authenticates them. */
final class AdminCaller {

    private AdminCaller() {
    }

    static AdminAuth authenticate(KeycloakSession session) {
        return org.ciampack.common.AdminCaller.authenticate(session).auth();
    }
}
