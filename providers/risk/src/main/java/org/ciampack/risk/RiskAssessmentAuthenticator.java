package org.ciampack.risk;

import jakarta.ws.rs.core.NewCookie;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.ciampack.common.FlowStep;
import org.ciampack.common.RealmKey;
import org.ciampack.risk.history.NoticeLimits;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Scores the identified user's login from the configured signals and records score, level and reasons for the
 * steps after it (see {@link RiskLevelCondition}) and in the login events. It never stops a login itself.
 */
final class RiskAssessmentAuthenticator extends FlowStep {

    private static final Logger LOG = Logger.getLogger(RiskAssessmentAuthenticator.class);
    private static final int DEVICE_COOKIE_MAX_AGE = 400 * 24 * 60 * 60;
    /** Session attribute (this request only): the user already scored, by a password step that scores first. */
    private static final String SCORED_USER = "ciam.risk.scored-user";
    /** Session attribute (this request only): the new device id of an unknown browser, its cookie not yet set. */
    private static final String NEW_DEVICE = "ciam.risk.new-device";

    private final List<RiskSignalFactory> signals;

    RiskAssessmentAuthenticator(List<RiskSignalFactory> signals) {
        this.signals = signals;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        Map<String, String> config = StepSettings.of(context.getAuthenticatorConfig());
        if (!scoredInThisRequest(context, context.getUser())) {
            score(context, context.getUser(), config, signals);
        }
        if (context.getSession().getAttribute(NEW_DEVICE) instanceof String deviceId) {
            setDeviceCookie(context, deviceId);
        }
        if (Boolean.parseBoolean(config.get(RiskPolicy.NEW_SIGN_IN_EMAIL))) {
            NoticeLimits limits = NoticeLimits.of(
                    StepSettings.integer(config.get(RiskPolicy.NEW_SIGN_IN_EMAIL_WINDOW_DAYS), NoticeLimits.DEFAULT_WINDOW_DAYS, 1, 365),
                    StepSettings.integer(config.get(RiskPolicy.NEW_SIGN_IN_EMAIL_MAX_PER_DAY), NoticeLimits.DEFAULT_MAX_PER_DAY, 1, 50));
            context.getAuthenticationSession().setUserSessionNote(RiskNotes.NOTIFY_NEW_SIGN_IN, limits.note());
        }
        context.success();
    }

    /**
     * Scores the user's attempt before the password is checked, with the settings of the flow's risk step, so that
     * a right and a wrong password cost the same work (see {@link RiskScoredPasswordForm}); the risk step then only
     * passes the result on. Does nothing in a flow without a risk step.
     */
    static void scoreBeforePassword(AuthenticationFlowContext context, UserModel user, List<RiskSignalFactory> signals) {
        Map<String, String> config = RiskStepConfig.of(context);
        if (config != null && user != null) {
            score(context, user, config, signals);
        }
    }

    private static boolean scoredInThisRequest(AuthenticationFlowContext context, UserModel user) {
        return user != null && user.getId().equals(context.getSession().getAttribute(SCORED_USER));
    }

    /** Scores and records the attempt; a failure of the scoring itself is the realm's fail-open/closed decision. */
    private static void score(AuthenticationFlowContext context, UserModel user, Map<String, String> config,
                              List<RiskSignalFactory> signals) {
        RiskPolicy policy = RiskPolicy.from(config);
        RiskAssessment assessment;
        String knownDevice = null;
        try {
            knownDevice = knownDevice(context);
            RiskEvaluator evaluator = new RiskEvaluator(context.getSession(), signals);
            String userAgent = context.getHttpRequest().getHttpHeaders().getHeaderString("User-Agent");
            assessment = evaluator.assess(config, evaluator.attempt(context.getRealm(), user,
                    context.getConnection().getRemoteAddr(), userAgent, knownDevice), user);
        } catch (RuntimeException e) {
            RealmRiskSettings realmSettings = RealmRiskSettings.of(context.getRealm());
            LOG.warnf("Risk assessment failed in realm %s, so the login counts as %s risk (fail-%s): %s",
                    context.getRealm().getName(), realmSettings.failClosed() ? "high" : "low",
                    realmSettings.onError().id(), e.toString());
            RiskMetrics.engineError(context.getRealm());
            assessment = RiskEngine.failed(policy, realmSettings.onError());
        }
        RiskMetrics.assessed(context.getRealm(), assessment);
        // A refused login gets no device id: a new cookie would tell a credential stuffer that the password was right.
        String deviceId = knownDevice;
        if (knownDevice == null && assessment.enforcedLevel() != RiskLevel.HIGH && !WrongPasswordAnswer.isPasswordGrant(context)) {
            deviceId = DeviceCookie.newDeviceId();
            // Its cookie is set by the risk step, which runs once the password is right: set here, before the
            // password is checked, it would tell anyone who tries a name that the account exists.
            context.getSession().setAttribute(NEW_DEVICE, deviceId);
        }
        record(context, user, assessment, deviceId);
        context.getSession().setAttribute(SCORED_USER, user.getId());
    }

    /**
     * The id from a valid device cookie, or null (no cookie, someone else's realm, tampered, oversized); for a
     * password grant, which keeps no cookie, the {@link GrantDevice} of its client, agent and network.
     */
    private static String knownDevice(AuthenticationFlowContext context) {
        if (WrongPasswordAnswer.isPasswordGrant(context)) {
            return GrantDevice.of(context.getSession(), context.getRealm(),
                    context.getAuthenticationSession().getClient().getClientId(),
                    context.getHttpRequest().getHttpHeaders().getHeaderString("User-Agent"),
                    context.getConnection().getRemoteAddr());
        }
        return DeviceCookie.fromRequest(context.getSession(), context.getRealm());
    }

    /** Gives an unknown browser its new signed device id; it becomes a known device once a login with it succeeds. */
    private static void setDeviceCookie(AuthenticationFlowContext context, String deviceId) {
        RealmModel realm = context.getRealm();
        URI base = context.getSession().getContext().getUri().getBaseUri();
        String path = base.getPath().replaceAll("/$", "") + "/realms/" + realm.getName() + "/";
        boolean secure = "https".equals(context.getSession().getContext().getUri().getRequestUri().getScheme());
        context.getSession().getContext().getHttpResponse().setCookieIfAbsent(new NewCookie.Builder(DeviceCookie.NAME)
                .value(DeviceCookie.value(deviceId, realm.getId(), RealmKey.of(context.getSession(), realm)))
                .path(path)
                .maxAge(DEVICE_COOKIE_MAX_AGE)
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.LAX)
                .build());
    }

    private static void record(AuthenticationFlowContext context, UserModel user, RiskAssessment assessment, String deviceId) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(RiskNotes.SCORE, String.valueOf(assessment.score()));
        authSession.setAuthNote(RiskNotes.LEVEL, assessment.level().id());
        authSession.setAuthNote(RiskNotes.REASONS, assessment.reasonList());
        authSession.setAuthNote(RiskNotes.ENFORCED_LEVEL, assessment.enforcedLevel().id());
        authSession.setAuthNote(RiskNotes.SCORED_USER, user.getId());
        // Copied into the user session when it is created, so the history recorder finds them even when required
        // actions come in between and Keycloak's final LOGIN event no longer carries these details.
        authSession.setUserSessionNote(RiskNotes.EVENT_SCORE, String.valueOf(assessment.score()));
        authSession.setUserSessionNote(RiskNotes.EVENT_LEVEL, assessment.level().id());
        authSession.setUserSessionNote(RiskNotes.EVENT_REASONS, assessment.reasonList());
        if (deviceId != null) {
            authSession.setUserSessionNote(RiskNotes.EVENT_DEVICE, deviceId);
        }
        // The user is known here; a denial later in the flow must still be attributable to them.
        String userAgent = context.getHttpRequest().getHttpHeaders().getHeaderString("User-Agent");
        authSession.setUserSessionNote(RiskNotes.EVENT_USER_AGENT, UserAgentFamily.of(userAgent));
        context.getEvent()
                .user(user)
                .detail(RiskNotes.EVENT_SCORE, String.valueOf(assessment.score()))
                .detail(RiskNotes.EVENT_LEVEL, assessment.level().id())
                .detail(RiskNotes.EVENT_REASONS, assessment.reasonList())
                .detail(RiskNotes.EVENT_DEVICE, deviceId)
                .detail(RiskNotes.EVENT_USER_AGENT, UserAgentFamily.of(userAgent));
        if (assessment.shadow()) {
            authSession.setAuthNote(RiskNotes.SHADOW, "true");
            context.getEvent().detail(RiskNotes.EVENT_SHADOW, "true");
        }
    }

    /** Puts the assessment back on this request's event ({@link RiskEventDetails}), for a later step of the flow. */
    static void restoreEventDetails(AuthenticationFlowContext context) {
        RiskEventDetails.restore(context.getAuthenticationSession(), context.getUser(), context.getEvent());
    }

    @Override
    public boolean requiresUser() {
        return true;
    }
}
