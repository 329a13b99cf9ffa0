package org.ciampack.federation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.AuthorizationProviderFactory;
import org.keycloak.authorization.model.Policy;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The policies of a realm's fine-grained admin permissions (version 2: the admin-permissions client; version 1:
 * realm-management's authorization settings). A role or group policy there can make the role's holders or the
 * group's members administrators of users, clients or groups, whatever roles the role or group carries; a script
 * policy can name any of them in its code. Read once per transaction (a synchronization imports hundreds of
 * customers in one).
 */
record AdminPermissionPolicies(List<String> settings, boolean scripted) {

    private static final String REALM_MANAGEMENT = "realm-management";

    /** Whether a policy's settings hold this id (a role's or group's, as Keycloak stores them). */
    boolean name(String id) {
        return settings.stream().anyMatch(value -> value.contains(id));
    }

    static AdminPermissionPolicies of(KeycloakSession session, RealmModel realm) {
        String key = "ciam.legacy.admin-permission-policies." + realm.getId();
        if (session.getAttribute(key) instanceof AdminPermissionPolicies known) {
            return known;
        }
        List<String> settings = new ArrayList<>();
        boolean scripted = false;
        AuthorizationProviderFactory factory = (AuthorizationProviderFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(AuthorizationProvider.class);
        if (factory != null) { // null: the authorization feature is off, and admin permissions with it
            AuthorizationProvider authorization = factory.create(session, realm);
            List<Policy> policies = Stream.of(realm.isAdminPermissionsEnabled() ? realm.getAdminPermissionsClient()
                            : null, realm.getClientByClientId(REALM_MANAGEMENT))
                    .filter(Objects::nonNull)
                    .map(client -> authorization.getStoreFactory().getResourceServerStore().findByClient(client))
                    .filter(Objects::nonNull)
                    .flatMap(server -> authorization.getStoreFactory().getPolicyStore().findByResourceServer(server)
                            .stream())
                    .toList();
            for (Policy policy : policies) {
                String type = policy.getType() == null ? "" : policy.getType().toLowerCase(Locale.ROOT);
                scripted |= type.equals("js") || type.startsWith("script-");
                if (policy.getConfig() != null) {
                    policy.getConfig().values().stream().filter(Objects::nonNull).forEach(settings::add);
                }
            }
        }
        AdminPermissionPolicies policies = new AdminPermissionPolicies(List.copyOf(settings), scripted);
        session.setAttribute(key, policies);
        return policies;
    }
}
