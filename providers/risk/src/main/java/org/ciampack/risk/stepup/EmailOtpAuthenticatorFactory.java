package org.ciampack.risk.stepup;

import java.util.List;
import org.ciampack.common.StepFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** "CIAM e-mail code": a step-up for users without an authenticator app or passkey; needs a verified e-mail. */
public final class EmailOtpAuthenticatorFactory extends StepFactory {

    public static final String ID = "ciam-email-otp";
    private static final EmailOtpAuthenticator SINGLETON = new EmailOtpAuthenticator();

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "CIAM e-mail code";
    }

    @Override
    public String getHelpText() {
        return "Mails a one-time code to the user's verified address and asks for it. Put it beside OTP and WebAuthn "
                + "in a step-up sub-flow, so customers without either can still prove it is them.";
    }

    /**
     * "otp": Keycloak's brute-force detection counts failures only of the categories password, otp and recovery
     * codes; a wrong e-mail code must count exactly as a wrong OTP code does.
     */
    @Override
    public String getReferenceCategory() {
        return OTPCredentialModel.TYPE;
    }

    /** An alternative beside OTP and passkeys in a step-up sub-flow. */
    @Override
    public Requirement[] getRequirementChoices() {
        return new Requirement[] {Requirement.REQUIRED, Requirement.ALTERNATIVE, Requirement.DISABLED};
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(EmailOtpSettings.DIGITS).label("Digits").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Length of the code (4-10).").defaultValue("6").add()
                .property().name(EmailOtpSettings.TTL).label("Valid for (seconds)").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("How long a code can be used (30-3600).").defaultValue("300").add()
                .property().name(EmailOtpSettings.MAX_ATTEMPTS).label("Wrong codes allowed").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("After this many wrong codes a new code is sent and the old one no longer works (1-20).")
                .defaultValue("5").add()
                .property().name(EmailOtpSettings.RESEND_AFTER).label("New code after (seconds)")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("How long the user waits before asking for another code (0-600).").defaultValue("30").add()
                .property().name(EmailOtpSettings.MAX_CODES).label("Codes per sign-in")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("How many codes one sign-in attempt may have mailed, new codes after wrong ones included (1-10); "
                        + "then the sign-in fails and starts over with the password.").defaultValue("3").add()
                .property().name(EmailOtpSettings.MAX_CODES_PER_DAY).label("Codes per customer and day")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("How many codes one customer may have mailed in 24 hours, all sign-ins together (1-100); "
                        + "then the step refuses to mail more, so that someone who knows the password cannot flood "
                        + "the mailbox.").defaultValue("10").add()
                .build();
    }
}
