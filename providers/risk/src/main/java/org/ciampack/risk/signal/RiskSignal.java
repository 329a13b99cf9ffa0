package org.ciampack.risk.signal;

import java.util.Map;
import org.ciampack.risk.Finding;
import org.ciampack.risk.LoginAttempt;
import org.keycloak.provider.Provider;

/**
 * One independent risk signal. Operators add their own by implementing this and a {@link RiskSignalFactory},
 * listed in {@code META-INF/services/org.ciampack.risk.signal.RiskSignalFactory}; every risk assessment step then
 * offers a weight for it in the admin console.
 */
public interface RiskSignal extends Provider {

    /**
     * Scores the attempt. {@code stepConfig} is the risk assessment step's configuration, for settings the signal
     * declares in {@link RiskSignalFactory#getConfigProperties()}. Must not block on remote services.
     */
    Finding evaluate(LoginAttempt attempt, Map<String, String> stepConfig);

    @Override
    default void close() {
    }
}
