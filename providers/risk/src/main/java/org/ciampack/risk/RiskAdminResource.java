package org.ciampack.risk;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Admin REST for the risk module, under {@code /realms/{realm}/ciam-risk}. {@code POST what-if} scores a login
 * that did not happen: the realm's current policy (the risk step of its browser flow, or of {@code ?flow=alias})
 * applied to a user, an address and a user agent. Needs a bearer token of an admin who may view users.
 */
final class RiskAdminResource implements RealmResourceProvider {

    private final KeycloakSession session;
    private final List<RiskSignalFactory> signals;

    RiskAdminResource(KeycloakSession session, List<RiskSignalFactory> signals) {
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
