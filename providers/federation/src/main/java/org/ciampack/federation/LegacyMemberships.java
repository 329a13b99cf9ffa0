package org.ciampack.federation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.Config;
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
        AdminPermissionPolicies permissions = AdminPermissionPolicies.of(session, realm);
        if (permissions.scripted()) {
            // a script policy can name any role or group in its code: none is granted from a legacy row
            LOG.warnf("Realm %s: its admin permissions have script policies; legacy customer %s gets none of the roles "
                    + "and groups their row names", realm.getName(), customer.username());
            return;
        }
        for (String name : customer.roles()) {
            RoleModel role = realm.getRole(name);
            if (role == null) {
                LOG.debugf("Realm %s: legacy customer %s: no realm role %s", realm.getName(), customer.username(),
                        name);
            } else if (administers(realm, Stream.of(role), permissions)) {
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
            } else if (lineage(group).anyMatch(g -> permissions.name(g.getId()))
                    || administers(realm, lineage(group).flatMap(GroupModel::getRoleMappingsStream), permissions)) {
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
    private static boolean administers(RealmModel realm, Stream<RoleModel> roles,
                                       AdminPermissionPolicies permissions) {
        ClientModel management = realm.getClientByClientId(REALM_MANAGEMENT);
        Deque<RoleModel> open = new ArrayDeque<>(roles.toList());
        Set<String> seen = new HashSet<>();
        while (!open.isEmpty()) {
            RoleModel role = open.pop();
            if (!seen.add(role.getId())) {
                continue;
            }
            if (management != null && role.isClientRole() && management.getId().equals(role.getContainerId())
                    || permissions.name(role.getId())) {
                return true;
            }
            role.getCompositesStream().forEach(open::push);
        }
        return false;
    }
}
