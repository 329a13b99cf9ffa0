package org.ciampack.risk.signal;

import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** Recent failed logins of the user, from Keycloak's own brute-force records (the realm must have them on). */
public final class FailureHistorySignalFactory implements RiskSignalFactory {

    public static final String ID = "failure-history";
    public static final String FAILURES_FOR_FULL_SCORE = "failure-history-full-at";
    static final int DEFAULT_FULL_AT = 5;

    @Override
    public RiskSignal create(KeycloakSession session) {
        return new FailureHistorySignal(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public int defaultWeight() {
        return 30;
    }

    @Override
    public String helpText() {
        return "Failure history: failed logins since the user's last success, more when the last failure came from "
                + "this address. Uses the realm's brute-force detection records.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(FAILURES_FOR_FULL_SCORE).label("Failed logins for the full failure weight")
                .helpText("This many recent failures (or more) score the whole failure-history weight; fewer score "
                        + "a share of it.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(DEFAULT_FULL_AT)).add()
                .build();
    }
}
