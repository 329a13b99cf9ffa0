package org.ciampack.profiling;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.validation.Validation;
import org.keycloak.userprofile.Attributes;
import org.keycloak.userprofile.EventAuditingAttributeChangeListener;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;

/**
 * The user's answers to the questions asked, checked and saved through the realm's user profile in Keycloak's
 * update-profile context, as Keycloak's own "Update profile" page does: its validators, read-only rules, change
 * events and e-mail re-verification apply. Only the questions asked are read from the form; every other attribute
 * is proposed with the value the user has, so nothing else changes.
 */
final class ProfileAnswers {

    private final List<Question> questions;
    private final Map<String, List<String>> given;
    private final List<String> skipped;
    private final List<FormMessage> errors;
    private final UserProfile profile;

    private ProfileAnswers(List<Question> questions, Map<String, List<String>> given, List<String> skipped,
            List<FormMessage> errors, UserProfile profile) {
        this.questions = questions;
        this.given = given;
        this.skipped = skipped;
        this.errors = errors;
        this.profile = profile;
    }

    /** "Not now" on a page where every question may be skipped. */
    static ProfileAnswers allSkipped(List<Question> questions) {
        return new ProfileAnswers(questions, Map.of(),
                questions.stream().map(Question::attribute).toList(), List.of(), null);
    }

    /** Reads and validates the answers; nothing is saved while any of them, or the profile as a whole, is invalid. */
    static ProfileAnswers read(KeycloakSession session, UserModel user, List<Question> questions,
            MultivaluedMap<String, String> form) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        List<FormMessage> errors = new ArrayList<>();
        for (Question question : questions) {
            List<String> values = form.getOrDefault(question.attribute(), List.of()).stream()
                    .filter(value -> value != null && !value.isBlank()).toList();
            if (!values.isEmpty()) {
                given.put(question.attribute(), values);
            } else if (question.skippable()) {
                skipped.add(question.attribute());
            } else {
                errors.add(new FormMessage(question.attribute(), "error-user-attribute-required"));
            }
        }
        if (given.isEmpty() || !errors.isEmpty()) {
            return new ProfileAnswers(questions, given, skipped, errors, null);
        }
        Map<String, List<String>> proposed = new HashMap<>(user.getAttributes());
        proposed.putAll(given);
        UserProfile profile = session.getProvider(UserProfileProvider.class)
                .create(UserProfileContext.UPDATE_PROFILE, proposed, user);
        Attributes attributes = profile.getAttributes();
        for (String name : given.keySet()) {
            if (attributes.getMetadata(name) == null || attributes.isReadOnly(name)) {
                errors.add(new FormMessage(name, "error-user-attribute-read-only"));
            }
        }
        if (!errors.isEmpty()) {
            return new ProfileAnswers(questions, given, skipped, errors, null);
        }
        try {
            profile.validate();
        } catch (ValidationException invalid) {
            List<Question> page = withFieldsToCorrect(questions, invalid, attributes);
            errors.addAll(Validation.getFormErrorsFromValidation(invalid.getErrors()));
            return new ProfileAnswers(page, given, skipped, errors, null);
        }
        return new ProfileAnswers(questions, given, skipped, errors, profile);
    }

    /**
     * An attribute the user may edit but was not asked can make the whole profile invalid (a rule added since it
     * was stored): it joins the page so the user can correct it, as Keycloak's own profile check would ask it.
     */
    private static List<Question> withFieldsToCorrect(List<Question> questions, ValidationException invalid,
            Attributes attributes) {
        int skipsLeft = questions.stream().mapToInt(Question::skipsLeft).min().orElse(0);
        List<Question> page = new ArrayList<>(questions);
        for (ValidationException.Error error : invalid.getErrors()) {
            String name = error.getAttribute();
            boolean shown = page.stream().anyMatch(question -> question.attribute().equals(name));
            if (!shown && attributes.getMetadata(name) != null && !attributes.isReadOnly(name)) {
                page.add(new Question(name, skipsLeft, false));
            }
        }
        return List.copyOf(page);
    }

    /** Writes the answers through the profile; the event gets Keycloak's details of what changed. */
    void save(EventBuilder event) {
        if (profile != null) {
            profile.update(false, new EventAuditingAttributeChangeListener(profile, event));
        }
    }

    /** The questions the page shows: those asked, and any field the user has to correct. */
    List<Question> questions() {
        return questions;
    }

    Map<String, List<String>> given() {
        return given;
    }

    List<String> skipped() {
        return skipped;
    }

    List<FormMessage> errors() {
        return errors;
    }
}
