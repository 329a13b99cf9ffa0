package org.ciampack.profiling;

import java.util.function.Predicate;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.Attributes;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * Whether the user may edit an attribute now, by the realm's declarative user profile: it is defined (and selected
 * for this login's scopes), it is not read-only for users, and it is not an unmanaged attribute. The profile is
 * only built when first asked.
 */
final class EditableAttributes implements Predicate<String> {

    private final KeycloakSession session;
    private final UserModel user;
    private Attributes attributes;

    EditableAttributes(KeycloakSession session, UserModel user) {
        this.session = session;
        this.user = user;
    }

    @Override
    public boolean test(String name) {
        if (attributes == null) {
            attributes = session.getProvider(UserProfileProvider.class)
                    .create(UserProfileContext.UPDATE_PROFILE, user).getAttributes();
        }
        return attributes.contains(name) && attributes.getMetadata(name) != null
                && !attributes.getUnmanagedAttributes().containsKey(name) && !attributes.isReadOnly(name);
    }
}
