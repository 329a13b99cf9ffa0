package org.ciampack.risk;

import java.util.List;
import org.ciampack.common.StepFactory;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** "CIAM address gate": first step of a flow, refuses deny-listed addresses before any password is checked. */
public final class AddressGateFactory extends StepFactory {

    public static final String ID = "ciam-address-gate";

    private volatile List<RiskSignalFactory> signals = List.of();

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        signals = RiskEvaluator.signals(factory);
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new AddressGate(session, signals);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "CIAM address gate";
    }

    @Override
    public String getHelpText() {
        return "Put it first in a flow that has a 'CIAM risk assessment' step: a client whose address alone rates the "
                + "login high there (the step's IP deny list, the server's list file) is refused before any password "
                + "is checked, with the answer a wrong password gets. Shadow mode lets everyone through.";
    }
}
