package org.ciampack.risk;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ciampack.risk.RiskEngine.WeightedSignal;
import org.ciampack.risk.net.IpAddress;
import org.ciampack.risk.signal.RiskSignal;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Scores the identified user's login from the configured signals and records score, level and reasons for the
 * steps after it (see {@link RiskLevelCondition}) and in the login events. It never stops a login itself.
 */
final class RiskAssessmentAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(RiskAssessmentAuthenticator.class);

    private final List<RiskSignalFactory> signals;

    RiskAssessmentAuthenticator(List<RiskSignalFactory> signals) {
        this.signals = signals;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        Map<String, String> config = context.getAuthenticatorConfig() == null
                ? Map.of() : context.getAuthenticatorConfig().getConfig();
        RiskPolicy policy = RiskPolicy.from(config);
        RiskAssessment assessment;
        try {
            assessment = RiskEngine.assess(policy, weighted(context.getSession(), config), attempt(context), config);
        } catch (RuntimeException e) {
            LOG.warnf("Risk assessment failed in realm %s, so the login counts as %s risk (%s): %s",
                    context.getRealm().getName(), policy.failClosed() ? "high" : "low",
                    policy.failClosed() ? "fail-closed" : "fail-open", e.toString());
            assessment = RiskEngine.failed(policy);
        }
        record(context, assessment);
        context.success();
    }

    private List<WeightedSignal> weighted(KeycloakSession session, Map<String, String> config) {
        return signals.stream()
                .map(factory -> {
                    RiskSignal signal = session.getProvider(RiskSignal.class, factory.getId());
                    return new WeightedSignal(factory.getId(),
                            RiskPolicy.weight(config, factory.getId(), factory.defaultWeight()), signal::evaluate);
                })
                .filter(signal -> signal.weight() > 0)
                .toList();
    }

    private static LoginAttempt attempt(AuthenticationFlowContext context) {
        String reported = context.getConnection().getRemoteAddr();
        String userAgent = context.getHttpRequest().getHttpHeaders().getHeaderString("User-Agent");
        return new LoginAttempt(context.getRealm().getId(), context.getUser().getId(), reported,
                IpAddress.parse(reported), userAgent == null ? "" : userAgent, Instant.now());
    }

    private static void record(AuthenticationFlowContext context, RiskAssessment assessment) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(RiskNotes.SCORE, String.valueOf(assessment.score()));
        authSession.setAuthNote(RiskNotes.LEVEL, assessment.level().id());
        authSession.setAuthNote(RiskNotes.REASONS, assessment.reasonList());
        authSession.setAuthNote(RiskNotes.ENFORCED_LEVEL, assessment.enforcedLevel().id());
        // The user is known here; a denial later in the flow must still be attributable to them.
        context.getEvent()
                .user(context.getUser())
                .detail(RiskNotes.EVENT_SCORE, String.valueOf(assessment.score()))
                .detail(RiskNotes.EVENT_LEVEL, assessment.level().id())
                .detail(RiskNotes.EVENT_REASONS, assessment.reasonList());
        if (assessment.shadow()) {
            context.getEvent().detail(RiskNotes.EVENT_SHADOW, "true");
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        // no form of its own
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
