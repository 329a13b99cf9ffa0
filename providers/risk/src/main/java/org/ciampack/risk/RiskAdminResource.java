package org.ciampack.risk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.ciampack.common.AdminCaller;
import org.ciampack.common.Problems;
import org.ciampack.risk.RealmRiskSettings.FailMode;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The risk module's admin REST, under Keycloak's admin API at {@code /admin/realms/{realm}/ciam-risk}:
 * <ul>
 * <li>{@code POST what-if} (admins who may view users): scores a login that did not happen, with the realm's
 * current policy (the risk step of its browser flow, or of {@code ?flow=alias}) for a user, address and agent;</li>
 * <li>{@code GET settings} (admins who may view the realm), {@code PUT settings} (admins who may manage it): the
 * realm-wide risk settings, see {@link RealmRiskSettings}; a change is recorded as an admin event.</li>
 * </ul>
 */
final class RiskAdminResource {

    /** The settings' JSON key for {@link RealmRiskSettings#onError()}. */
    private static final String ON_ERROR = "onError";

    private final KeycloakSession session;
    private final AdminCaller admin;
    private final List<RiskSignalFactory> signals;

    RiskAdminResource(KeycloakSession session, AdminCaller admin, List<RiskSignalFactory> signals) {
        this.session = session;
        this.admin = admin;
        this.signals = signals;
    }

    @POST
    @Path("what-if")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response whatIf(String body, @QueryParam("flow") String flowAlias) {
        admin.permissions().users().requireView();
        RealmModel realm = admin.realm();
        ObjectNode json = Problems.object(body, "send a JSON object with 'username' (or 'userId'), 'ipAddress' and 'userAgent'");
        Map<String, String> question = new HashMap<>();
        json.fields().forEachRemaining(field -> question.put(field.getKey(), field.getValue().asText(null)));
        UserModel user = Optional.ofNullable(question.get("userId")).map(id -> session.users().getUserById(realm, id))
                .or(() -> Optional.ofNullable(question.get("username")).map(name -> session.users().getUserByUsername(realm, name)))
                .orElse(null);
        if (user == null) {
            return Problems.status(Response.Status.NOT_FOUND, "no such user");
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
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public Response settings() {
        admin.permissions().realm().requireViewRealm();
        return Response.ok(representation(RealmRiskSettings.of(admin.realm()))).build();
    }

    @PUT
    @Path("settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response changeSettings(String body) {
        admin.permissions().realm().requireManageRealm();
        RealmModel realm = admin.realm();
        ObjectNode change = Problems.object(body, "send a JSON object, e.g. {\"onError\": \"closed\"}");
        Set<String> unknown = new TreeSet<>();
        change.fieldNames().forEachRemaining(unknown::add);
        unknown.remove(ON_ERROR);
        if (!unknown.isEmpty()) {
            return problem("unknown setting " + String.join(", ", unknown) + "; known: " + ON_ERROR);
        }
        FailMode onError = RealmRiskSettings.of(realm).onError();
        if (change.has(ON_ERROR)) {
            onError = change.get(ON_ERROR).isTextual() ? FailMode.parse(change.get(ON_ERROR).asText()).orElse(null) : null;
            if (onError == null) {
                return problem(ON_ERROR + " must be 'open' or 'closed'");
            }
        }
        RealmRiskSettings updated = new RealmRiskSettings(onError);
        updated.applyTo(realm);
        admin.event(OperationType.UPDATE, RiskResourceFactory.ID, "settings").representation(representation(updated))
                .success();
        return Response.ok(representation(updated)).build();
    }

    private static Map<String, Object> representation(RealmRiskSettings settings) {
        return Map.of(ON_ERROR, settings.onError().id());
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
        return Problems.status(Response.Status.BAD_REQUEST, message);
    }
}
