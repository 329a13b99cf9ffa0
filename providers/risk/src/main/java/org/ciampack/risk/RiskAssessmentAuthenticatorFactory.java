package org.ciampack.risk;

import java.util.ArrayList;
import java.util.List;
import org.ciampack.common.StepFactory;
import org.ciampack.risk.history.NoticeLimits;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** The "CIAM risk assessment" flow step: place it after the user is identified, before the steps it gates. */
public final class RiskAssessmentAuthenticatorFactory extends StepFactory {

    public static final String ID = "ciam-risk-assessment";

    private volatile List<RiskSignalFactory> signals = List.of();

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        signals = RiskEvaluator.signals(factory);
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new RiskAssessmentAuthenticator(signals);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "CIAM risk assessment";
    }

    @Override
    public String getHelpText() {
        return "Scores the login 0-100 from the signals below and records score, level (low, medium, high) and reasons "
                + "in the login events. Gate later steps with 'Condition - CIAM risk level'.";
    }

    @Override
    public String getReferenceCategory() {
        return "ciam-risk";
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        List<ProviderConfigProperty> properties = new ArrayList<>(ProviderConfigurationBuilder.create()
                .property().name(RiskPolicy.SHADOW_MODE).label("Shadow mode")
                .helpText("Score and record every login, but let conditions see every login as low risk: for tuning "
                        + "weights and thresholds on real traffic before enforcing them.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .property().name(RiskPolicy.MEDIUM_THRESHOLD).label("Medium risk from score")
                .helpText("Scores from this value up are medium risk (1-100).")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(RiskPolicy.DEFAULT_MEDIUM)).add()
                .property().name(RiskPolicy.HIGH_THRESHOLD).label("High risk from score")
                .helpText("Scores from this value up are high risk; must not be below the medium threshold.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(RiskPolicy.DEFAULT_HIGH)).add()
                .property().name(RiskPolicy.NEW_SIGN_IN_EMAIL).label("E-mail on a new device or country")
                .helpText("After a successful sign-in from a new device or country, mail the user a 'was this you?' "
                        + "notice (sent after the login, in the background; needs a verified address).")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .property().name(RiskPolicy.NEW_SIGN_IN_EMAIL_WINDOW_DAYS).label("Same device or country quiet for (days)")
                .helpText("A device or country that had its notice gets no other one within this many days (1-365).")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(NoticeLimits.DEFAULT_WINDOW_DAYS))
                .add()
                .property().name(RiskPolicy.NEW_SIGN_IN_EMAIL_MAX_PER_DAY).label("Notices per customer and day")
                .helpText("However many new devices or countries sign in, a customer gets at most this many notices "
                        + "in 24 hours (1-50).")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(NoticeLimits.DEFAULT_MAX_PER_DAY))
                .add()
                .build());
        for (RiskSignalFactory signal : signals) {
            ProviderConfigProperty weight = new ProviderConfigProperty(RiskPolicy.weightKey(signal.getId()),
                    "Weight: " + signal.getId(), signal.helpText() + " Weight 0-100; 0 switches the signal off.",
                    ProviderConfigProperty.STRING_TYPE, String.valueOf(signal.defaultWeight()));
            properties.add(weight);
            properties.addAll(signal.getConfigProperties());
        }
        return properties;
    }
}
