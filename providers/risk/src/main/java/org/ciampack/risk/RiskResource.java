package org.ciampack.risk;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.ciampack.risk.RealmRiskSettings.FailMode;
import org.ciampack.risk.history.KnownDevice;
import org.ciampack.risk.history.LoginHistory;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.common.util.UriUtils;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminRoot;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * REST of the risk module, under {@code /realms/{realm}/ciam-risk}:
 * <ul>
 * <li>{@code POST what-if} (admins who may view users): scores a login that did not happen, with the realm's
 * current policy (the risk step of its browser flow, or of {@code ?flow=alias}) for a user, address and agent;</li>
 * <li>{@code GET devices}, {@code DELETE devices/{id}} (the user, with their own bearer token from an app, CORS for
 * the client's web origins; or with their login cookie from the account console's "Known devices" page): the
 * devices they have completed a login with; removing one makes it unknown again, so its next login counts as a
 * new device.</li>
 * <li>{@code GET settings} (admins who may view the realm), {@code PUT settings} (admins who may manage it): the
 * realm-wide risk settings, see {@link RealmRiskSettings}; a change is recorded as an admin event.</li>
 * </ul>
 */
final class RiskResource implements RealmResourceProvider {

    private static final String[] SELF_SERVICE_METHODS = {"GET", "DELETE"};
    /** The settings' JSON key for {@link RealmRiskSettings#onError()}. */
    private static final String ON_ERROR = "onError";
    /** Rows read to list devices: far more than the history keeps, so every kept row is seen. */
    private static final int DEVICE_HISTORY = 1000;

    private final KeycloakSession session;
    private final List<RiskSignalFactory> signals;

    RiskResource(KeycloakSession session, List<RiskSignalFactory> signals) {
        this.session = session;
        this.signals = signals;
    }

    @Override
    public Object getResource() {
        // Browsers ask before a cross-origin DELETE or a call with an Authorization header.
        return "OPTIONS".equals(session.getContext().getHttpRequest().getHttpMethod()) ? new Preflight() : this;
    }

    /** Answers CORS preflights for the self-service paths; the real call then checks the client's web origins. */
    public static final class Preflight {
        @OPTIONS
        @Path("{any:.*}")
        public Response preflight() {
            return Cors.builder().auth().allowedMethods(SELF_SERVICE_METHODS).preflight().add(Response.ok());
        }
    }

    @POST
    @Path("what-if")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response whatIf(Map<String, String> question, @QueryParam("flow") String flowAlias) {
        RealmModel realm = session.getContext().getRealm();
        AdminPermissions.evaluator(session, realm, authenticate()).users().requireView();
        if (question == null) {
            return problem("send a JSON object with 'username' (or 'userId'), 'ipAddress' and 'userAgent'");
        }
        UserModel user = Optional.ofNullable(question.get("userId")).map(id -> session.users().getUserById(realm, id))
                .or(() -> Optional.ofNullable(question.get("username")).map(name -> session.users().getUserByUsername(realm, name)))
                .orElse(null);
        if (user == null) {
            return Response.status(Response.Status.NOT_FOUND).entity(Map.of("error", "no such user")).build();
        }
        AuthenticatorConfigModel step = riskStep(realm, flowAlias);
        if (step == null) {
            return problem("no 'CIAM risk assessment' step in flow '" + (flowAlias != null ? flowAlias : "browser") + "'");
        }
        RiskEvaluator evaluator = new RiskEvaluator(session, signals);
        LoginAttempt attempt = evaluator.attempt(realm, user, question.get("ipAddress"), question.get("userAgent"),
                question.get("deviceId"));
        RiskAssessment assessment = evaluator.assess(step.getConfig(), attempt, user);

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("score", assessment.score());
        answer.put("level", assessment.level().id());
        answer.put("reasons", assessment.reasons());
        answer.put("shadow", assessment.shadow());
        answer.put("enforcedLevel", assessment.enforcedLevel().id());
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("country", attempt.geo().countryCode());
        location.put("city", attempt.geo().city());
        location.put("asn", attempt.geo().asn());
        location.put("anonymizer", attempt.geo().anonymizer());
        answer.put("location", location);
        answer.put("historyConsidered", attempt.history().size());
        return Response.ok(answer).build();
    }

    @GET
    @Path("devices")
    @Produces(MediaType.APPLICATION_JSON)
    public Response devices() {
        SelfServiceCaller caller = selfServiceCaller(false);
        RealmModel realm = session.getContext().getRealm();
        List<KnownDevice> devices = KnownDevice.of(LoginHistory.of(session).recent(realm.getId(), caller.user().getId(),
                DEVICE_HISTORY), DeviceCookie.fromRequest(session, realm));
        return caller.answer(Response.ok(devices));
    }

    @DELETE
    @Path("devices/{id}")
    public Response forgetDevice(@PathParam("id") String deviceId) {
        SelfServiceCaller caller = selfServiceCaller(true);
        RealmModel realm = session.getContext().getRealm();
        int removed = LoginHistory.of(session).forgetDevice(realm.getId(), caller.user().getId(), deviceId);
        // Someone else's device, or none: the same answer, so ids of others cannot be probed.
        return caller.answer(removed == 0 ? Response.status(Response.Status.NOT_FOUND) : Response.noContent());
    }

    /** The signed-in end user, and how to answer them: with CORS for an app's token, plainly for the console page. */
    private record SelfServiceCaller(UserModel user, Cors cors) {
        Response answer(Response.ResponseBuilder response) {
            return cors == null ? response.build() : cors.add(response);
        }
    }

    /**
     * Apps send the user's bearer token (from any of the client's web origins); the account console page sends the
     * user's login cookie and is then held to this server's own origin, so another site cannot make the browser
     * change anything ({@code changes}: DELETE and the like, which browsers always send with an Origin header).
     */
    private SelfServiceCaller selfServiceCaller(boolean changes) {
        RealmModel realm = session.getContext().getRealm();
        if (session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
            AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm)
                    .setConnection(session.getContext().getConnection())
                    .setHeaders(session.getContext().getRequestHeaders())
                    .authenticate();
            if (auth == null || auth.user() == null) {
                throw new NotAuthorizedException("Bearer");
            }
            return new SelfServiceCaller(auth.user(), Cors.builder().auth().allowedMethods(SELF_SERVICE_METHODS)
                    .checkAllowedOrigins(session, auth.client()));
        }
        AuthResult auth = new AppAuthManager().authenticateIdentityCookie(session, realm);
        if (auth == null || auth.user() == null) {
            throw new NotAuthorizedException("Bearer");
        }
        String origin = session.getContext().getRequestHeaders().getHeaderString("Origin");
        if (changes && (origin == null || !origin.equals(UriUtils.getOrigin(session.getContext().getUri().getBaseUri())))) {
            throw new ForbiddenException("a change with the login cookie must come from this server's own pages");
        }
        return new SelfServiceCaller(auth.user(), null);
    }

    @GET
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public Response settings() {
        RealmModel realm = session.getContext().getRealm();
        AdminPermissions.evaluator(session, realm, authenticate()).realm().requireViewRealm();
        return Response.ok(representation(RealmRiskSettings.of(realm))).build();
    }

    @PUT
    @Path("settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response changeSettings(Map<String, Object> change) {
        RealmModel realm = session.getContext().getRealm();
        AdminAuth admin = authenticate();
        AdminPermissions.evaluator(session, realm, admin).realm().requireManageRealm();
        if (change == null) {
            return problem("send a JSON object, e.g. {\"onError\": \"closed\"}");
        }
        Set<String> unknown = new TreeSet<>(change.keySet());
        unknown.remove(ON_ERROR);
        if (!unknown.isEmpty()) {
            return problem("unknown setting " + String.join(", ", unknown) + "; known: " + ON_ERROR);
        }
        FailMode onError = RealmRiskSettings.of(realm).onError();
        if (change.containsKey(ON_ERROR)) {
            onError = change.get(ON_ERROR) instanceof String value ? FailMode.parse(value).orElse(null) : null;
            if (onError == null) {
                return problem(ON_ERROR + " must be 'open' or 'closed'");
            }
        }
        RealmRiskSettings updated = new RealmRiskSettings(onError);
        updated.applyTo(realm);
        new AdminEventBuilder(realm, admin, session, session.getContext().getConnection())
                .resource(ResourceType.REALM)
                .operation(OperationType.UPDATE)
                .resourcePath(RiskResourceFactory.ID, "settings")
                .representation(representation(updated))
                .success();
        return Response.ok(representation(updated)).build();
    }

    private static Map<String, Object> representation(RealmRiskSettings settings) {
        return Map.of(ON_ERROR, settings.onError().id());
    }

    /** The caller, from a bearer token of any realm on this server (admins usually come from master). */
    private AdminAuth authenticate() {
        // Keycloak verifies the token in its own realm and leaves that realm in the context: put the requested one back.
        RealmModel requested = session.getContext().getRealm();
        try {
            return AdminRoot.authenticateRealmAdminRequest(session);
        } finally {
            session.getContext().setRealm(requested);
        }
    }

    private static AuthenticatorConfigModel riskStep(RealmModel realm, String flowAlias) {
        var flow = flowAlias != null ? realm.getFlowByAlias(flowAlias) : realm.getBrowserFlow();
        return flow == null ? null : riskStepIn(realm, flow.getId());
    }

    private static AuthenticatorConfigModel riskStepIn(RealmModel realm, String flowId) {
        for (AuthenticationExecutionModel execution : realm.getAuthenticationExecutionsStream(flowId).toList()) {
            if (execution.isAuthenticatorFlow()) {
                AuthenticatorConfigModel nested = riskStepIn(realm, execution.getFlowId());
                if (nested != null) {
                    return nested;
                }
            } else if (RiskAssessmentAuthenticatorFactory.ID.equals(execution.getAuthenticator())
                    && execution.getAuthenticatorConfig() != null) {
                return realm.getAuthenticatorConfigById(execution.getAuthenticatorConfig());
            }
        }
        return null;
    }

    private static Response problem(String message) {
        return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", message)).build();
    }

    @Override
    public void close() {
    }
}
