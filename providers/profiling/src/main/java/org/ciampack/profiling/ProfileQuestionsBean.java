package org.ciampack.profiling;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.keycloak.forms.login.freemarker.model.AbstractUserProfileBean;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.AttributeMetadata;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * The {@code profile} the login theme's user-profile macros render, holding only the questions asked: labels,
 * input types, helper texts, groups and validators all come from the realm's declarative user profile. A question
 * that can no longer be skipped is marked required.
 */
public final class ProfileQuestionsBean extends AbstractUserProfileBean {

    private final UserModel user;

    public ProfileQuestionsBean(KeycloakSession session, UserModel user, List<Question> questions,
            MultivaluedMap<String, String> formData) {
        super(formData);
        this.user = user;
        init(session, true);
        Map<String, Attribute> asked = new LinkedHashMap<>();
        for (Question question : questions) {
            AttributeMetadata metadata = profile.getAttributes().getMetadata(question.attribute());
            if (metadata != null && !profile.getAttributes().isReadOnly(question.attribute())) {
                asked.put(question.attribute(), new AskedAttribute(metadata, !question.skippable()));
            }
        }
        this.attributes = List.copyOf(asked.values());
        this.attributesByName = asked;
    }

    @Override
    protected UserProfile createUserProfile(UserProfileProvider provider) {
        return provider.create(UserProfileContext.UPDATE_PROFILE, user);
    }

    @Override
    protected Stream<String> getAttributeDefaultValues(String name) {
        return user.getAttributeStream(name).filter(Objects::nonNull);
    }

    @Override
    public String getContext() {
        return UserProfileContext.UPDATE_PROFILE.name();
    }

    /** An attribute as the profile defines it, required when its question may no longer be skipped. */
    public class AskedAttribute extends Attribute {

        private final boolean requiredNow;

        AskedAttribute(AttributeMetadata metadata, boolean requiredNow) {
            super(metadata);
            this.requiredNow = requiredNow;
        }

        @Override
        public boolean isRequired() {
            return requiredNow || super.isRequired();
        }
    }
}
