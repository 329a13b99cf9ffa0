package org.ciampack.risk;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ciampack.risk.history.KnownDevice;
import org.ciampack.risk.history.LoginHistory;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * REST of the risk module, under {@code /realms/{realm}/ciam-risk}:
 * <ul>
 * <li>{@code POST what-if} (admins who may view users): scores a login that did not happen, with the realm's
 * current policy (the risk step of its browser flow, or of {@code ?flow=alias}) for a user, address and agent;</li>
 * <li>{@code GET devices}, {@code DELETE devices/{id}} (the user, with their own bearer token): the devices they
 * have completed a login with; removing one makes it unknown again, so its next login counts as a new device.</li>
 * </ul>
 */
final class RiskResource implements RealmResourceProvider {

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
        return this;
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
        AuthResult caller = user();
        RealmModel realm = session.getContext().getRealm();
        List<KnownDevice> devices = KnownDevice.of(LoginHistory.of(session).recent(realm.getId(), caller.getUser().getId(),
                DEVICE_HISTORY));
        return Response.ok(devices).build();
    }

    @DELETE
    @Path("devices/{id}")
    public Response forgetDevice(@PathParam("id") String deviceId) {
        AuthResult caller = user();
        RealmModel realm = session.getContext().getRealm();
        int removed = LoginHistory.of(session).forgetDevice(realm.getId(), caller.getUser().getId(), deviceId);
        // Someone else's device, or none: the same answer, so ids of others cannot be probed.
        return removed == 0 ? Response.status(Response.Status.NOT_FOUND).build() : Response.noContent().build();
    }

    /** The end user, from a bearer token of this realm. */
    private AuthResult user() {
        AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(session.getContext().getRealm())
                .setConnection(session.getContext().getConnection())
                .setHeaders(session.getContext().getRequestHeaders())
                .authenticate();
        if (auth == null || auth.getUser() == null) {
            throw new NotAuthorizedException("Bearer");
        }
        return auth;
    }

    /** The caller, from a bearer token of any realm on this server (admins usually come from master). */
    private AdminAuth authenticate() {
        String header = session.getContext().getRequestHeaders().getHeaderString("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new NotAuthorizedException("Bearer");
        }
        String token = header.substring(7).strip();
        RealmModel tokenRealm;
        try {
            String issuer = TokenVerifier.create(token, AccessToken.class).getToken().getIssuer();
            tokenRealm = session.realms().getRealmByName(issuer.substring(issuer.lastIndexOf('/') + 1));
        } catch (VerificationException | RuntimeException e) {
            throw new NotAuthorizedException("Bearer");
        }
        if (tokenRealm == null) {
            throw new NotAuthorizedException("Bearer");
        }
        // Verified as Keycloak's admin API does: in the context of the token's own realm.
        RealmModel requested = session.getContext().getRealm();
        AuthResult auth;
        try {
            session.getContext().setRealm(tokenRealm);
            auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(tokenRealm)
                    .setConnection(session.getContext().getConnection())
                    .setHeaders(session.getContext().getRequestHeaders())
                    .setTokenString(token).authenticate();
        } finally {
            session.getContext().setRealm(requested);
        }
        if (auth == null) {
            throw new NotAuthorizedException("Bearer");
        }
        return new AdminAuth(tokenRealm, auth.getToken(), auth.getUser(), auth.getClient());
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
