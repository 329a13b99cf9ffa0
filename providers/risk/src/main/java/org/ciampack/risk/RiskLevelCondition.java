package org.ciampack.risk;

import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

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
        return levelFor(context.getAuthenticationSession(), context.getUser(), assessed).isAtLeast(threshold);
    }

    /**
     * The level that holds for the flow's user. A flow can change users after the score: a second sign-in at an
     * identity provider in the same tab runs the provider's post login flow again, its steps already marked done.
     * An assessment of someone else counts as high: the user now in the flow was never scored.
     */
    static RiskLevel levelFor(AuthenticationSessionModel authSession, UserModel user, String assessed) {
        String scored = authSession.getAuthNote(RiskNotes.SCORED_USER);
        if (user != null && scored != null && !scored.equals(user.getId())) {
            LOG.debugf("Risk level condition: the flow's user changed since the assessment; counted as high");
            return RiskLevel.HIGH;
        }
        return RiskLevel.parse(assessed, RiskLevel.HIGH);
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
