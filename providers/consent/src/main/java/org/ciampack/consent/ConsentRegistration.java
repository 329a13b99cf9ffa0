package org.ciampack.consent;

import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.util.List;
import org.keycloak.authentication.FormAction;
import org.keycloak.authentication.FormContext;
import org.keycloak.authentication.ValidationContext;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

/**
 * The realm's consent purposes on the registration page: a new user decides in the same step, required ones must
 * be ticked (field errors otherwise), and the receipts are written with the new account.
 */
final class ConsentRegistration implements FormAction {

    @Override
    public void buildPage(FormContext context, LoginFormsProvider form) {
        List<ConsentPurpose> purposes = purposes(context);
        if (purposes.isEmpty()) {
            return;
        }
        // Shown again after an error: keep what the user ticked, unless it was ticked on other wording.
        MultivaluedMap<String, String> answers = "POST".equals(context.getHttpRequest().getHttpMethod())
                ? ShownPurposes.stillValid(context.getAuthenticationSession(), purposes,
                        context.getHttpRequest().getDecodedFormParameters()) : null;
        ShownPurposes.remember(context.getAuthenticationSession(), purposes);
        form.setAttribute("consentPurposes", ConsentForm.views(purposes, answers));
    }

    @Override
    public void validate(ValidationContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        List<ConsentPurpose> purposes = purposes(context);
        if (!purposes.isEmpty() && !ShownPurposes.answers(context.getAuthenticationSession(), form, purposes)) {
            context.error(Errors.INVALID_REGISTRATION);
            context.validationError(form, List.of(new FormMessage(FormMessage.GLOBAL, ShownPurposes.CHANGED_MESSAGE)));
            return;
        }
        ConsentForm.Answer answer = ConsentForm.read(purposes, form);
        if (answer.complete()) {
            context.success();
            return;
        }
        List<FormMessage> errors = answer.missingRequired().stream()
                .map(purpose -> new FormMessage(ConsentForm.field(purpose), "ciamConsentRequiredMissing")).toList();
        context.getEvent().detail(ConsentDecisions.PURPOSE, answer.missingRequired().get(0).id());
        context.error(Errors.INVALID_REGISTRATION);
        context.validationError(form, errors);
    }

    @Override
    public void success(FormContext context) {
        List<ConsentPurpose> purposes = purposes(context);
        if (purposes.isEmpty()) {
            return;
        }
        ConsentForm.Answer answer = ConsentForm.read(purposes, context.getHttpRequest().getDecodedFormParameters());
        new ConsentDecisions(context.getSession(), context.getRealm()).record(context.getUser(), answer.choices(),
                Source.REGISTRATION, context.getAuthenticationSession().getClient(), true);
        ConsentChecked.mark(context.getAuthenticationSession()); // every purpose was on the form
    }

    private static List<ConsentPurpose> purposes(FormContext context) {
        Instant now = Instant.now();
        return new ConsentDecisions(context.getSession(), context.getRealm()).catalog().inForce(now);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
