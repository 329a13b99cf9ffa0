package org.ciampack.risk.signal;

import java.util.Map;
import org.ciampack.risk.Finding;
import org.ciampack.risk.LoginAttempt;
import org.ciampack.risk.StepSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureModel;

/** Scores the failures Keycloak counted for the user since their last successful login. */
final class FailureHistorySignal implements RiskSignal {

    private final KeycloakSession session;

    FailureHistorySignal(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Finding evaluate(LoginAttempt attempt, Map<String, String> stepConfig) {
        RealmModel realm = session.realms().getRealm(attempt.realmId());
        UserLoginFailureModel failures = session.loginFailures().getUserLoginFailure(realm, attempt.userId());
        if (failures == null || failures.getNumFailures() == 0) {
            return Finding.NOTHING;
        }
        return score(failures.getNumFailures(), attempt.reportedAddress().equals(failures.getLastIPFailure()),
                StepSettings.integer(stepConfig.get(FailureHistorySignalFactory.FAILURES_FOR_FULL_SCORE),
                        FailureHistorySignalFactory.DEFAULT_FULL_AT, 1, 1000));
    }

    /** A share of the weight per failure; failures from this very address count double. */
    static Finding score(int failures, boolean fromThisAddress, int fullAt) {
        double strength = Math.min(1.0, (double) failures * (fromThisAddress ? 2 : 1) / fullAt);
        return Finding.of(strength, fromThisAddress ? "recent_failures_same_address" : "recent_failures");
    }
}
