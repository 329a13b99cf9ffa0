package org.ciampack.events;

import java.util.Objects;
import java.util.stream.Stream;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.jpa.UserAdapter;

/**
 * A user's groups for the export's profile snapshot. Keycloak's JPA user adapter (what the user cache hands out for
 * a user created or changed in this request: a registration, a profile update) builds a criteria query on every
 * call, and Hibernate translates a criteria query to SQL anew each time: about half a millisecond of a
 * registration. The same query as a string is translated once and cached. Every other model (a cached user, a
 * federation provider's, which may map groups of its own) is asked as usual.
 */
final class GroupMemberships {

    private static final String GROUP_IDS =
            "select m.groupId from UserGroupMembershipEntity m where m.user.id = :userId";

    private GroupMemberships() {
    }

    static Stream<GroupModel> of(KeycloakSession session, RealmModel realm, UserModel user) {
        if (!(user instanceof UserAdapter)) {
            return user.getGroupsStream();
        }
        return session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createQuery(GROUP_IDS, String.class)
                .setParameter("userId", user.getId())
                .getResultList().stream()
                .map(id -> session.groups().getGroupById(realm, id))
                .filter(Objects::nonNull);
    }
}
