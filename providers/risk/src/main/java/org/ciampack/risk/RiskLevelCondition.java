package org.ciampack.risk;

import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** True when the login's risk level, as the risk assessment step enforces it, is at least the configured level. */
final class RiskLevelCondition implements ConditionalAuthenticator {

    static final RiskLevelCondition SINGLETON = new RiskLevelCondition();
    static final String LEVEL = "risk-level";

    private static final Logger LOG = Logger.getLogger(RiskLevelCondition.class);

    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        String assessed = context.getAuthenticationSession().getAuthNote(RiskNotes.ENFORCED_LEVEL);
        if (assessed == null) {
            LOG.warnf("Risk level condition in realm %s ran before any risk assessment step; place "
                    + "'CIAM risk assessment' earlier in the flow. Treating the condition as not met.",
                    context.getRealm().getName());
            return false;
        }
        RiskAssessmentAuthenticator.restoreEventDetails(context);
        Map<String, String> config = StepSettings.of(context.getAuthenticatorConfig());
        // A threshold nobody can read is the strictest reading of "at least": only high risk matches.
        RiskLevel threshold = RiskLevel.parse(config.get(LEVEL), RiskLevel.HIGH);
        return RiskLevel.parse(assessed, RiskLevel.HIGH).isAtLeast(threshold);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
