package org.ciampack.common;

import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * The administrator behind a request to one of the pack's admin APIs, which Keycloak's admin API mounts at
 * {@code /admin/realms/{realm}/<api>} ({@code AdminRealmResourceProvider}): Keycloak has authenticated them as it
 * does for its own endpoints (a token of the realm or of the admin realm, the {@code admin-api} feature on) and
 * hands over its evaluator of their realm-management rights, which {@link #permissions()} gives each endpoint to
 * check. No module reads a token itself.
 */
public final class AdminCaller {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminAuth auth;
    private final AdminPermissionEvaluator permissions;

    private AdminCaller(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator permissions) {
        this.session = session;
        this.realm = realm;
        this.auth = permissions.adminAuth();
        this.permissions = permissions;
    }

    /** The caller of an admin request to {@code realm}, as Keycloak's admin API authenticated them. */
    public static AdminCaller of(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator permissions) {
        return new AdminCaller(session, realm, permissions);
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
