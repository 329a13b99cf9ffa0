package org.ciampack.profiling;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.ciampack.common.AuthNotes;
import org.ciampack.common.FlowStep;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Progressive profiling: after the user is known, asks the few profile attributes the admin's plan makes due now,
 * on one page of the login theme, and lets the user skip them a set number of times. Counts the user's logins.
 */
public final class ProgressiveProfilingAuthenticator extends FlowStep {

    static final String FORM = "ciam-profiling.ftl";
    static final String NOT_NOW = "ciam-not-now";
    static final String EVENT_CONTEXT = "ciam-progressive-profiling";
    static final String EVENT_COLLECTED = "ciam_profiling_collected";
    static final String EVENT_SKIPPED = "ciam_profiling_skipped";
    static final String EVENT_ATTRIBUTE = "ciam_profiling_attribute";
    static final String EVENT_SKIPS = "ciam_profiling_skips";
    /** Authentication-session notes: this login was counted; the questions shown ("" once answered). */
    static final String COUNTED_NOTE = "ciam.profiling.counted";
    static final String ASKED_NOTE = "ciam.profiling.asked";
    /** Written by the CIAM risk step (module risk); read by name, modules do not import each other. */
    static final String RISK_LEVEL_NOTE = AuthNotes.RISK_LEVEL;
    private static final Set<String> RISKY = Set.of("medium", "high");
    /** The flow path of Keycloak's registration: the user was made in this flow. */
    private static final String REGISTRATION_PATH = LoginActionsService.REGISTRATION_PATH;

    private static final Logger LOG = Logger.getLogger(ProgressiveProfilingAuthenticator.class);
    /** Each faulty plan is logged once, not at every login. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        UserModel user = context.getUser();
        String asked = authSession.getAuthNote(ASKED_NOTE);
        if (asked != null) {
            // The page was already shown in this flow (a reload, or "back"): the same questions, or nothing.
            List<Question> questions = Question.listFromNote(asked);
            if (questions.isEmpty()) {
                context.success();
            } else {
                context.challenge(page(context, questions, new MultivaluedHashMap<>(), List.of()));
            }
            return;
        }
        long started = System.nanoTime();
        RealmModel realm = context.getRealm();
        ProfilingPlan plan = plan(context.getAuthenticatorConfig(), realm);
        ProfilingStore store = new ProfilingStore(context.getSession());
        ProfilingStateEntity state;
        if (authSession.getAuthNote(COUNTED_NOTE) == null
                && !"true".equals(authSession.getAuthNote(AuthenticationManager.SSO_AUTH))) {
            // A sign-in with credentials counts; a single sign-on to another app does not.
            state = REGISTRATION_PATH.equals(context.getFlowPath())
                    ? store.countRegistration(realm.getId(), user.getId(), plan.loginsThatMatter())
                    : store.countLogin(realm.getId(), user.getId(), plan.loginsThatMatter());
            authSession.setAuthNote(COUNTED_NOTE, "true");
        } else {
            state = store.state(realm.getId(), user.getId());
        }
        String riskLevel = authSession.getAuthNote(RISK_LEVEL_NOTE);
        if (riskLevel != null && RISKY.contains(riskLevel)) {
            authSession.setAuthNote(ASKED_NOTE, "");
            ProfilingMetrics.checked(Duration.ofNanos(System.nanoTime() - started));
            context.success(); // a doubtful login is no time to collect personal data
            return;
        }
        QuestionHistory history = QuestionHistory.fromJson(state.getQuestions());
        List<Question> due = DueQuestions.select(plan, facts(context, plan, state), history,
                name -> user.getAttributeStream(name).anyMatch(value -> value != null && !value.isBlank()),
                new EditableAttributes(context.getSession(), user), Instant.now());
        ProfilingMetrics.checked(Duration.ofNanos(System.nanoTime() - started));
        authSession.setAuthNote(ASKED_NOTE, Question.listToNote(due));
        if (due.isEmpty()) {
            context.success();
            return;
        }
        due.forEach(question -> {
            history.asked(question.attribute());
            ProfilingMetrics.question(realm.getName(), question.attribute(), "asked");
        });
        state.setQuestions(history.toJson());
        context.challenge(page(context, due, new MultivaluedHashMap<>(), List.of()));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        List<Question> questions = Question.listFromNote(authSession.getAuthNote(ASKED_NOTE));
        if (questions.isEmpty()) {
            context.success();
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        boolean notNow = form.containsKey(NOT_NOW) && questions.stream().allMatch(Question::skippable);
        ProfileAnswers answers = notNow ? ProfileAnswers.allSkipped(questions)
                : ProfileAnswers.read(context.getSession(), context.getUser(), questions, form);
        if (!answers.errors().isEmpty()) {
            authSession.setAuthNote(ASKED_NOTE, Question.listToNote(answers.questions()));
            context.challenge(page(context, answers.questions(), form, answers.errors()));
            return;
        }
        record(context, answers);
        authSession.setAuthNote(ASKED_NOTE, "");
        context.success();
    }

    private static void record(AuthenticationFlowContext context, ProfileAnswers answers) {
        UserModel user = context.getUser();
        RealmModel realm = context.getRealm();
        if (!answers.given().isEmpty()) {
            EventBuilder updated = context.getEvent().clone().event(EventType.UPDATE_PROFILE).user(user)
                    .detail(Details.CONTEXT, EVENT_CONTEXT)
                    .detail(EVENT_COLLECTED, String.join(",", answers.given().keySet()));
            answers.save(updated);
            updated.success();
        }
        ProfilingStateEntity state = new ProfilingStore(context.getSession()).state(realm.getId(), user.getId());
        QuestionHistory history = QuestionHistory.fromJson(state.getQuestions());
        Instant now = Instant.now();
        answers.given().keySet().forEach(name -> {
            history.answered(name, now);
            ProfilingMetrics.question(realm.getName(), name, "answered");
        });
        for (String name : answers.skipped()) {
            history.skipped(name, now);
            ProfilingMetrics.question(realm.getName(), name, "skipped");
            context.getEvent().clone().event(EventType.UPDATE_PROFILE_ERROR).user(user)
                    .detail(Details.CONTEXT, EVENT_CONTEXT)
                    .detail(EVENT_ATTRIBUTE, name)
                    .detail(EVENT_SKIPS, String.valueOf(history.skips(name)))
                    .error(EVENT_SKIPPED);
        }
        state.setQuestions(history.toJson());
    }

    private static Response page(AuthenticationFlowContext context, List<Question> questions,
            MultivaluedMap<String, String> formData, List<FormMessage> errors) {
        var form = context.form()
                .setAttribute("profile", new ProfileQuestionsBean(context.getSession(), context.getUser(), questions,
                        formData))
                .setAttribute("ciamProfilingSkippable", questions.stream().allMatch(Question::skippable))
                .setAttribute("ciamProfilingNeededNow", questions.stream().anyMatch(Question::neededNow));
        if (!errors.isEmpty()) {
            form.setErrors(errors);
        }
        return form.createForm(FORM);
    }

    private static LoginFacts facts(AuthenticationFlowContext context, ProfilingPlan plan, ProfilingStateEntity state) {
        Long created = context.getUser().getCreatedTimestamp();
        long days = created == null ? 0 : Duration.ofMillis(System.currentTimeMillis() - created).toDays();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        Set<String> scopes = Set.of();
        if (plan.stages().stream().anyMatch(stage -> stage.trigger() instanceof Trigger.ForScope)) {
            scopes = TokenManager.getRequestedClientScopes(context.getSession(),
                            authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM), authSession.getClient(),
                            context.getUser())
                    .map(ClientScopeModel::getName).collect(Collectors.toSet());
        }
        return new LoginFacts(state.getLoginCount(), days, authSession.getClient().getClientId(), scopes);
    }

    private static ProfilingPlan plan(AuthenticatorConfigModel config, RealmModel realm) {
        ProfilingPlan plan = ProfilingPlan.read(config == null ? null : config.getConfig());
        if (!plan.problems().isEmpty() && REPORTED.add(realm.getId() + plan.problems())) {
            LOG.warnf("Progressive profiling in realm %s: %s", realm.getName(), String.join("; ", plan.problems()));
        }
        return plan;
    }

    @Override
    public boolean requiresUser() {
        return true;
    }
}
