package org.ciampack.common;

import jakarta.ws.rs.core.Response;
import org.keycloak.Config;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.AdminRoot;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;

/**
 * The administrator behind a request to one of the pack's admin APIs, authenticated exactly as Keycloak's own admin
 * API does it: a bearer token of the requested realm or of the master realm (an admin of another realm is refused,
 * as {@code /admin/realms/{realm}} refuses them), with the realm-management rights that {@link #permissions()}
 * checks. Every admin resource of the pack starts here, so no module has its own reading of a token.
 */
public final class AdminCaller {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminAuth auth;
    private final AdminPermissionEvaluator permissions;

    private AdminCaller(KeycloakSession session, RealmModel realm, AdminAuth auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.permissions = AdminPermissions.evaluator(session, realm, auth);
    }

    /** 401 without a valid admin token, 403 for a token of a realm that may not administer this one. */
    public static AdminCaller authenticate(KeycloakSession session) {
        // Keycloak verifies the token in its own realm and leaves that realm in the context: put the requested one back.
        KeycloakContext context = session.getContext();
        RealmModel requested = context.getRealm();
        AdminAuth auth;
        try {
            auth = AdminRoot.authenticateRealmAdminRequest(session);
        } finally {
            context.setRealm(requested);
        }
        RealmModel callerRealm = auth.getRealm();
        if (!callerRealm.getId().equals(requested.getId()) && !Config.getAdminRealm().equals(callerRealm.getName())) {
            throw Problems.failure(Response.Status.FORBIDDEN, "an administrator of realm '" + callerRealm.getName()
                    + "' cannot administer realm '" + requested.getName() + "'");
        }
        return new AdminCaller(session, requested, auth);
    }

    /** Keycloak's checks of the caller's realm-management rights in the requested realm ({@code requireXxx()}). */
    public AdminPermissionEvaluator permissions() {
        return permissions;
    }

    public AdminAuth auth() {
        return auth;
    }

    public RealmModel realm() {
        return realm;
    }

    public String username() {
        return auth.getUser().getUsername();
    }

    /** An admin event on the requested realm for a change through one of our APIs ({@code /<api>/<path...>}). */
    public AdminEventBuilder event(OperationType operation, String... path) {
        return new AdminEventBuilder(realm, auth, session, session.getContext().getConnection())
                .resource(ResourceType.REALM)
                .operation(operation)
                .resourcePath(path);
    }
}
