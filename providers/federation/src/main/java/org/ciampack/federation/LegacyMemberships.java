package org.ciampack.federation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.AuthorizationProviderFactory;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The realm roles and groups a legacy customer's row names, granted when they are imported. Names Keycloak does not
 * know are skipped; so is any role or group that would give a realm administration role or that the realm's
 * fine-grained admin permissions name, whatever the legacy database says, and everything in the admin realm: a row in
 * someone else's database must never make an administrator.
 */
final class LegacyMemberships {

    /** The client holding a realm's administration roles in that realm. */
    private static final String REALM_MANAGEMENT = "realm-management";
    private static final Logger LOG = Logger.getLogger(LegacyMemberships.class);
    /** Keycloak's ids of roles and groups, as policies hold them in their settings. */
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private LegacyMemberships() {
    }

    static void grant(KeycloakSession session, RealmModel realm, UserModel user, LegacyCustomer customer) {
        if (Config.getAdminRealm().equals(realm.getName())
                && !(customer.roles().isEmpty() && customer.groups().isEmpty())) {
            // The admin realm's own roles (admin, create-realm, each realm's <name>-realm client) administer every
            // realm; customers never belong there, so nothing of a legacy row is granted in it.
            LOG.warnf("Realm %s is the admin realm: legacy customer %s gets none of the roles and groups their row "
                    + "names", realm.getName(), customer.username());
            return;
        }
        if (customer.roles().isEmpty() && customer.groups().isEmpty()) {
            return;
        }
        Set<String> permitted = namedByAdminPermissions(session, realm);
        for (String name : customer.roles()) {
            RoleModel role = realm.getRole(name);
            if (role == null) {
                LOG.debugf("Realm %s: legacy customer %s: no realm role %s", realm.getName(), customer.username(),
                        name);
            } else if (administers(realm, Stream.of(role), permitted)) {
                refused(realm, customer, "role " + name);
            } else {
                user.grantRole(role);
            }
        }
        for (String name : customer.groups()) {
            String path = name.startsWith("/") ? name : "/" + name;
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
            if (group == null) {
                LOG.debugf("Realm %s: legacy customer %s: no group %s", realm.getName(), customer.username(), name);
            } else if (lineage(group).anyMatch(g -> permitted.contains(g.getId()))
                    || administers(realm, lineage(group).flatMap(GroupModel::getRoleMappingsStream), permitted)) {
                refused(realm, customer, "group " + name);
            } else {
                user.joinGroup(group);
            }
        }
    }

    private static void refused(RealmModel realm, LegacyCustomer customer, String what) {
        LOG.warnf("Realm %s: legacy customer %s: %s gives realm administration rights; not granted from the legacy "
                + "database", realm.getName(), customer.username(), what);
    }

    /** A group and the groups above it, whose roles its members have too. */
    private static Stream<GroupModel> lineage(GroupModel group) {
        return Stream.iterate(group, g -> g != null, GroupModel::getParent);
    }

    /**
     * Whether these roles, or any role they are composed of, is one of the realm's administration roles or one that
     * its admin permissions name.
     */
    private static boolean administers(RealmModel realm, Stream<RoleModel> roles, Set<String> permitted) {
        ClientModel management = realm.getClientByClientId(REALM_MANAGEMENT);
        Deque<RoleModel> open = new ArrayDeque<>(roles.toList());
        Set<String> seen = new HashSet<>();
        while (!open.isEmpty()) {
            RoleModel role = open.pop();
            if (!seen.add(role.getId())) {
                continue;
            }
            if (management != null && role.isClientRole() && management.getId().equals(role.getContainerId())
                    || permitted.contains(role.getId())) {
                return true;
            }
            role.getCompositesStream().forEach(open::push);
        }
        return false;
    }

    /**
     * The ids that the policies of the realm's fine-grained admin permissions hold (version 2: the admin-permissions
     * client; version 1: realm-management's authorization settings): a role or group policy there can make the role's
     * or group's members administrators of users, clients or groups, whatever roles the role or group carries. Read
     * once per transaction (a synchronization imports hundreds of customers in one).
     */
    private static Set<String> namedByAdminPermissions(KeycloakSession session, RealmModel realm) {
        String key = "ciam.legacy.admin-permission-ids." + realm.getId();
        @SuppressWarnings("unchecked")
        Set<String> known = (Set<String>) session.getAttribute(key);
        if (known != null) {
            return known;
        }
        Set<String> ids = new HashSet<>();
        AuthorizationProviderFactory factory = (AuthorizationProviderFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(AuthorizationProvider.class);
        if (factory != null) { // null: the authorization feature is off, and admin permissions with it
            AuthorizationProvider authorization = factory.create(session, realm);
            Stream.of(realm.isAdminPermissionsEnabled() ? realm.getAdminPermissionsClient() : null,
                            realm.getClientByClientId(REALM_MANAGEMENT))
                    .filter(Objects::nonNull)
                    .map(client -> authorization.getStoreFactory().getResourceServerStore().findByClient(client))
                    .filter(Objects::nonNull)
                    .flatMap((ResourceServer server) -> authorization.getStoreFactory().getPolicyStore()
                            .findByResourceServer(server).stream())
                    .map(Policy::getConfig)
                    .filter(Objects::nonNull)
                    .flatMap(config -> config.values().stream())
                    .filter(Objects::nonNull)
                    .forEach(value -> ID.matcher(value).results().forEach(match -> ids.add(match.group())));
        }
        session.setAttribute(key, ids);
        return ids;
    }
}
