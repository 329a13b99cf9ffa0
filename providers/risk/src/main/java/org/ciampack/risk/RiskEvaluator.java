package org.ciampack.risk;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ciampack.risk.RiskEngine.WeightedSignal;
import org.ciampack.risk.geo.GeoFacts;
import org.ciampack.risk.geo.GeoIp;
import org.ciampack.risk.history.LoginHistory;
import org.ciampack.risk.history.PastLogin;
import org.ciampack.risk.net.IpAddress;
import org.ciampack.risk.signal.RiskSignal;
import org.ciampack.risk.signal.IpReputationSignalFactory;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** Gathers what the signals need from Keycloak (location, history) and scores: for logins and for what-if questions. */
final class RiskEvaluator {

    /** How many past logins the signals see. */
    static final int HISTORY_CONSIDERED = 50;

    private final KeycloakSession session;
    private final List<RiskSignalFactory> signals;

    RiskEvaluator(KeycloakSession session, List<RiskSignalFactory> signals) {
        this.session = session;
        this.signals = signals;
    }

    /** Every registered signal, in a stable order. */
    static List<RiskSignalFactory> signals(KeycloakSessionFactory factory) {
        return factory.getProviderFactoriesStream(RiskSignal.class)
                .map(RiskSignalFactory.class::cast)
                .sorted(Comparator.comparing(RiskSignalFactory::getId))
                .toList();
    }

    LoginAttempt attempt(RealmModel realm, UserModel user, String reportedAddress, String userAgent, String deviceId) {
        Optional<InetAddress> address = IpAddress.parse(reportedAddress);
        GeoFacts geo = address.map(ip -> session.getProvider(GeoIp.class).locate(ip)).orElse(GeoFacts.UNKNOWN);
        List<PastLogin> history = LoginHistory.of(session).recent(realm.getId(), user.getId(), HISTORY_CONSIDERED);
        return new LoginAttempt(realm.getId(), user.getId(), reportedAddress == null ? "" : reportedAddress, address,
                userAgent == null ? "" : userAgent, Instant.now(), geo, deviceId, history);
    }

    /** Required actions that register a second factor: not to be done in a risky login. */
    private static final Set<String> ENROLLMENTS = Set.of("CONFIGURE_TOTP", "webauthn-register",
            "webauthn-register-passwordless", "CONFIGURE_RECOVERY_AUTHN_CODES");

    /** Scores the user's attempt and applies the enrolment rule; exceptions are the caller's fail-open/closed decision. */
    RiskAssessment assess(Map<String, String> config, LoginAttempt attempt, UserModel user) {
        boolean enrollmentPending = user.getRequiredActionsStream().anyMatch(ENROLLMENTS::contains);
        return RiskEngine.guardEnrollment(RiskPolicy.from(config), assess(config, attempt), enrollmentPending);
    }

    /**
     * Scores the attempt's address alone (IP reputation, with the step's weight, lists and thresholds): what the
     * address gate acts on before any password is checked.
     */
    RiskAssessment assessAddress(Map<String, String> config, LoginAttempt attempt) {
        List<WeightedSignal> weighted = signals.stream()
                .filter(factory -> factory.getId().equals(IpReputationSignalFactory.ID))
                .map(factory -> new WeightedSignal(factory.getId(),
                        RiskPolicy.weight(config, factory.getId(), factory.defaultWeight()),
                        session.getProvider(RiskSignal.class, factory.getId())::evaluate))
                .filter(signal -> signal.weight() > 0)
                .toList();
        return RiskEngine.assess(RiskPolicy.from(config), weighted, attempt, config);
    }

    /** Scores the attempt with the step's configuration. */
    RiskAssessment assess(Map<String, String> config, LoginAttempt attempt) {
        List<WeightedSignal> weighted = signals.stream()
                .map(factory -> {
                    RiskSignal signal = session.getProvider(RiskSignal.class, factory.getId());
                    return new WeightedSignal(factory.getId(),
                            RiskPolicy.weight(config, factory.getId(), factory.defaultWeight()), signal::evaluate);
                })
                .filter(signal -> signal.weight() > 0)
                .toList();
        return RiskEngine.assess(RiskPolicy.from(config), weighted, attempt, config);
    }
}
