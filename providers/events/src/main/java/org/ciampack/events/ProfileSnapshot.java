package org.ciampack.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * The user as the event found them, added to the envelope in the event's own transaction (after commit is too late:
 * a deleted account is gone). Every user event gets who it was (id, username, e-mail); profile events, which CRMs
 * sync from, also get the attributes, realm and client roles, groups and organizations.
 */
final class ProfileSnapshot {

    /** The events after which a CRM wants the whole profile. */
    static final Set<String> PROFILE_EVENTS = Set.of("REGISTER", "UPDATE_PROFILE", "UPDATE_EMAIL", "VERIFY_EMAIL",
            "DELETE_ACCOUNT", "GRANT_CONSENT", "UPDATE_CONSENT", "REVOKE_GRANT", "CUSTOM_REQUIRED_ACTION",
            "IDENTITY_PROVIDER_FIRST_LOGIN", "FEDERATED_IDENTITY_LINK");

    private static final Set<String> BUILT_IN_ATTRIBUTES = Set.of(UserModel.USERNAME, UserModel.EMAIL,
            UserModel.FIRST_NAME, UserModel.LAST_NAME, UserModel.EMAIL_VERIFIED, UserModel.ENABLED);

    private ProfileSnapshot() {
    }

    static ObjectNode of(KeycloakSession session, RealmModel realm, UserModel user, boolean wholeProfile) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", user.getId());
        node.put("username", user.getUsername());
        node.put("email", user.getEmail());
        if (!wholeProfile) {
            return node;
        }
        node.put("firstName", user.getFirstName());
        node.put("lastName", user.getLastName());
        node.put("emailVerified", user.isEmailVerified());
        node.put("enabled", user.isEnabled());
        if (user.getCreatedTimestamp() != null) {
            node.put("createdTimestamp", user.getCreatedTimestamp());
        }
        ObjectNode attributes = node.putObject("attributes");
        user.getAttributes().forEach((name, values) -> {
            if (!BUILT_IN_ATTRIBUTES.contains(name)) {
                ArrayNode list = attributes.putArray(name);
                values.forEach(list::add);
            }
        });
        node.setAll(memberships(session, realm, user));
        return node;
    }

    /**
     * Roles, groups and organizations, read once per request and user: a registration sends several profile events
     * (the account, the consents, the verified address), and each would query them again. Keycloak changes
     * memberships and then sends one event per request, so the first read is what every event of the request saw.
     */
    private static ObjectNode memberships(KeycloakSession session, RealmModel realm, UserModel user) {
        String attribute = "ciam.export.memberships." + realm.getId() + "." + user.getId();
        if (session.getAttribute(attribute) instanceof ObjectNode known) {
            return known;
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        Memberships memberships = Memberships.of(session, realm, user);
        ArrayNode roles = node.putArray("roles");
        memberships.roles().stream().map(ProfileSnapshot::roleName).sorted().forEach(roles::add);
        ArrayNode groups = node.putArray("groups");
        memberships.groups().stream().map(ModelToRepresentation::buildGroupPath).sorted().forEach(groups::add);
        if (realm.isOrganizationsEnabled()) {
            OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
            if (organizations != null) {
                ArrayNode list = node.putArray("organizations");
                organizations.getByMember(user).forEach(org -> list.add(org.getAlias()));
            }
        }
        session.setAttribute(attribute, node);
        return node;
    }

    private static String roleName(RoleModel role) {
        return role.isClientRole() && role.getContainer() instanceof org.keycloak.models.ClientModel client
                ? client.getClientId() + ":" + role.getName() : role.getName();
    }

}
