package org.ciampack.consent;

import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.util.List;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.FormMessage;

/**
 * The consent step of first-broker-login: someone arriving from a social or enterprise identity provider for the
 * first time decides on the realm's purposes before an account is created for them (Keycloak's own terms action
 * runs only after creation: keycloak/keycloak#28714). Place it before "Create User If Unique". The decisions wait in
 * the authentication session; the ciam-consent required action writes them once the user exists. Someone about to
 * be linked to an existing account is not asked here: their account's own consents apply.
 */
final class ConsentBeforeAccountCreation extends AbstractIdpAuthenticator {

    @Override
    protected void authenticateImpl(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serialized,
            BrokeredIdentityContext broker) {
        List<ConsentPurpose> purposes = new ConsentDecisions(context.getSession(), context.getRealm()).catalog()
                .inForce(Instant.now());
        if (purposes.isEmpty() || PendingConsents.present(context.getAuthenticationSession())
                || existingAccount(context.getSession(), context.getRealm(), broker)) {
            context.success();
            return;
        }
        context.challenge(ConsentRequiredAction.page(context.form().setAttribute("consentBeforeAccount", true),
                context.getAuthenticationSession(), purposes, null, List.of()));
    }

    @Override
    protected void actionImpl(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serialized,
            BrokeredIdentityContext broker) {
        List<ConsentPurpose> purposes = new ConsentDecisions(context.getSession(), context.getRealm()).catalog()
                .inForce(Instant.now());
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (!ShownPurposes.answers(context.getAuthenticationSession(), form, purposes)) {
            context.challenge(ConsentRequiredAction.changed(context.form().setAttribute("consentBeforeAccount", true),
                    context.getAuthenticationSession(), purposes));
            return;
        }
        if (form.containsKey("decline")) {
            context.failureChallenge(AuthenticationFlowError.ACCESS_DENIED, context.form()
                    .setAttribute("consentNoAccount", true).createForm(ConsentRequiredAction.DECLINED_TEMPLATE));
            return;
        }
        ConsentForm.Answer answer = ConsentForm.read(purposes, form);
        if (!answer.complete()) {
            List<FormMessage> errors = answer.errors();
            context.challenge(ConsentRequiredAction.page(context.form().setAttribute("consentBeforeAccount", true),
                    context.getAuthenticationSession(), purposes, form, errors));
            return;
        }
        PendingConsents.keep(context.getAuthenticationSession(), answer.choices());
        context.success();
    }

    /** The same test "Create User If Unique" makes: an account with this e-mail (when unique) or username. */
    private static boolean existingAccount(KeycloakSession session, RealmModel realm, BrokeredIdentityContext broker) {
        if (broker.getEmail() != null && !realm.isDuplicateEmailsAllowed()
                && session.users().getUserByEmail(realm, broker.getEmail()) != null) {
            return true;
        }
        String username = realm.isRegistrationEmailAsUsername() ? broker.getEmail() : broker.getModelUsername();
        return username != null && session.users().getUserByUsername(realm, username) != null;
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, org.keycloak.models.UserModel user) {
        return true;
    }
}
