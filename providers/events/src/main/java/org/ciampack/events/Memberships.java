package org.ciampack.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.jpa.UserAdapter;

/**
 * A user's direct roles and groups for the export's profile snapshot. Keycloak's JPA user adapter (what the user
 * cache hands out for a user created or changed in this request: a registration, a verified address) runs a query
 * for the roles and a criteria query for the groups, which Hibernate translates to SQL anew on every call. Here both
 * come from one statement, translated once and cached. Every other model (a cached user, a federation provider's,
 * which may map roles and groups of its own) is asked as usual.
 */
record Memberships(List<RoleModel> roles, List<GroupModel> groups) {

    private static final String ROLE = "r";
    private static final String GROUP = "g";
    private static final String ROLE_AND_GROUP_IDS =
            "select '" + ROLE + "', m.roleId from UserRoleMappingEntity m where m.user.id = :userId "
                    + "union all select '" + GROUP + "', g.groupId from UserGroupMembershipEntity g "
                    + "where g.user.id = :userId";

    static Memberships of(KeycloakSession session, RealmModel realm, UserModel user) {
        if (!(user instanceof UserAdapter)) {
            return new Memberships(user.getRoleMappingsStream().toList(), user.getGroupsStream().toList());
        }
        List<String> roleIds = new ArrayList<>();
        List<String> groupIds = new ArrayList<>();
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createQuery(ROLE_AND_GROUP_IDS, Object[].class)
                .setParameter("userId", user.getId())
                .getResultList()
                .forEach(row -> (ROLE.equals(row[0]) ? roleIds : groupIds).add((String) row[1]));
        return new Memberships(roleIds.stream().map(realm::getRoleById).filter(Objects::nonNull).toList(),
                groupIds.stream().map(id -> session.groups().getGroupById(realm, id)).filter(Objects::nonNull)
                        .toList());
    }
}
