package org.ciampack.risk;

import java.util.Map;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.RealmModel;

/**
 * The settings of the "CIAM risk assessment" step beside a step in its flow: the address gate and the password
 * steps that score first use the risk step's lists and weights, so each exists in one place.
 */
final class RiskStepConfig {

    private RiskStepConfig() {
    }

    /** The risk step's configuration (empty when it has none), or null when the flow has no risk step. */
    static Map<String, String> of(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        return realm.getAuthenticationExecutionsStream(context.getExecution().getParentFlow())
                .filter(execution -> RiskAssessmentAuthenticatorFactory.ID.equals(execution.getAuthenticator()))
                .findFirst()
                .map(execution -> execution.getAuthenticatorConfig() == null ? Map.<String, String>of()
                        : StepSettings.of(realm.getAuthenticatorConfigById(execution.getAuthenticatorConfig())))
                .orElse(null);
    }
}
