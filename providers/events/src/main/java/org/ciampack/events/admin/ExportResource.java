package org.ciampack.events.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ciampack.common.AdminCaller;
import org.ciampack.common.LockedRealmAttributes;
import org.ciampack.common.Problems;
import org.ciampack.events.ExportEventListenerProviderFactory;
import org.ciampack.events.dispatch.DispatcherSettings;
import org.ciampack.events.dispatch.TestDelivery;
import org.ciampack.events.format.Formats;
import org.ciampack.events.outbox.CrossRealmApproval;
import org.ciampack.events.outbox.DeliveryEntity;
import org.ciampack.events.outbox.ExportStore;
import org.ciampack.events.outbox.RouteStateEntity;
import org.ciampack.events.route.Route;
import org.ciampack.events.route.RouteSecrets;
import org.ciampack.events.route.RouteStore;
import org.ciampack.events.sink.ExportSinkFactory;
import org.ciampack.events.sink.SinkContext;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

/**
 * Admin API of the event export, in Keycloak's admin API at {@code /admin/realms/<realm>/ciam-export}: routes (list, read, create or replace,
 * remove, test, pause, resume) and operations (backlog, dead events, replays). Reading needs the realm's
 * {@code view-events} role; operating routes (pause, resume, replays) {@code manage-events}; creating, replacing,
 * removing and testing a route, which decides where the realm's events and personal data go, {@code manage-realm}.
 */
public final class ExportResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakSession session;
    private final AdminCaller caller;

    ExportResource(KeycloakSession session, AdminCaller caller) {
        this.session = session;
        this.caller = caller;
    }

    @GET
    @Path("routes")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> routes() {
        RealmModel realm = viewer();
        ExportStore store = new ExportStore(session);
        List<Map<String, Object>> routes = new ArrayList<>();
        RouteStore.routes(realm).values().forEach(route -> routes.add(representation(route, store.state(realm.getId(), route.name()))));
        return routes;
    }

    @GET
    @Path("routes/{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> route(@PathParam("name") String name) {
        RealmModel realm = viewer();
        return representation(existing(realm, name), new ExportStore(session).state(realm.getId(), name));
    }

    @PUT
    @Path("routes/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response saveRoute(@PathParam("name") String name, String body) {
        AdminCaller admin = routeEditor();
        RealmModel realm = admin.realm();
        if (Problems.tooLarge(body)) {
            return Problems.tooLarge();
        }
        List<String> problems = new ArrayList<>();
        JsonNode definition = Problems.json(body, problems);
        if (definition == null) {
            return Problems.badRequest(problems);
        }
        Route route = Route.parse(name, definition, problems);
        if (definition != null && definition.isObject()) {
            RouteSecrets.check(definition, problems);
            try {
                problems.addAll(check(realm, admin, definition));
            } catch (ForbiddenException e) {
                return Problems.status(Response.Status.FORBIDDEN, e.getMessage());
            }
        }
        // New or not, and how many, from the database under the realm's row lock, not from the realm cache: edits at
        // once wait for each other, so they cannot pass the cap together nor both create the same route.
        Set<String> stored = LockedRealmAttributes.namesStartingWith(session, realm, RouteStore.ATTRIBUTE_PREFIX);
        boolean created = !stored.contains(RouteStore.ATTRIBUTE_PREFIX + name);
        if (created && stored.size() >= RouteStore.MAX_ROUTES) {
            problems.add("a realm has at most " + RouteStore.MAX_ROUTES + " export routes");
        }
        if (!problems.isEmpty()) {
            return Problems.status(Response.Status.BAD_REQUEST.getStatusCode(), "invalid route", problems);
        }
        RouteStore.save(realm, route);
        if (org.keycloak.Config.getAdminRealm().equals(realm.getName())) {
            // What was checked above is what may take other realms' events; any later edit around this API is not.
            new ExportStore(session).stateForChange(realm.getId(), name).approveCrossRealm(route.takesOtherRealms()
                    ? CrossRealmApproval.of(realm.getAttribute(RouteStore.ATTRIBUTE_PREFIX + name)) : null);
        }
        adminEvent(admin, created ? OperationType.CREATE : OperationType.UPDATE, name, masked(route.definition()));
        Map<String, Object> answer = representation(route, new ExportStore(session).state(realm.getId(), name));
        return (created ? Response.status(Response.Status.CREATED) : Response.ok()).entity(answer).build();
    }

    /**
     * What only the server knows: the sink is installed and accepts the settings, the format exists, a destination
     * written as an address is one the server sends to, and other realms' events are the caller's to export.
     */
    private List<String> check(RealmModel realm, AdminCaller admin, JsonNode definition) {
        List<String> problems = new ArrayList<>();
        String sinkId = definition.path("sink").asText("");
        ExportSinkFactory sink = sinkId.isBlank() ? null : (ExportSinkFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(ExportSinkFactory.class, sinkId);
        if (sink == null && !sinkId.isBlank()) {
            problems.add("no sink '" + sinkId + "' is installed; installed: " + installedSinks());
        } else if (sink != null) {
            JsonNode settings = definition.path("settings");
            problems.addAll(sink.validate(settings.isObject() ? (ObjectNode) settings : JSON.createObjectNode()));
        }
        String format = definition.path("format").asText(Route.defaultFormat(sinkId));
        if (!Formats.NAMES.contains(format)) {
            problems.add("format must be one of " + String.join(", ", Formats.NAMES));
        }
        DispatcherSettings settings = ExportEventListenerProviderFactory.settings(session.getKeycloakSessionFactory());
        LiteralDestinations.check(definition.path("settings"), settings.destinations(), problems);
        if (definition.has("realms")) {
            problems.addAll(CrossRealmRoutes.check(session, realm, admin.auth(), definition.get("realms"),
                    settings.crossRealmRoutes()));
        }
        return problems;
    }

    private String installedSinks() {
        List<String> ids = new ArrayList<>();
        session.getKeycloakSessionFactory().getProviderFactoriesStream(ExportSinkFactory.class)
                .forEach(factory -> ids.add(factory.getId()));
        return String.join(", ", ids);
    }

    @DELETE
    @Path("routes/{name}")
    public Response removeRoute(@PathParam("name") String name) {
        AdminCaller admin = routeEditor();
        RealmModel realm = caller.realm();
        existing(realm, name);
        RouteStore.remove(realm, name);
        new ExportStore(session).forgetRoute(realm.getId(), name);
        adminEvent(admin, OperationType.DELETE, name, null);
        return Response.noContent().build();
    }

    @POST
    @Path("routes/{name}/test")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> test(@PathParam("name") String name) {
        AdminCaller admin = routeEditor();
        RealmModel realm = caller.realm();
        Map<String, Object> report;
        try {
            report = TestDelivery.send(session, realm, existing(realm, name));
        } catch (TestDelivery.Busy e) {
            throw new WebApplicationException(Problems.tooManyRequests(e.getMessage(), TestDelivery.RETRY_AFTER_SECONDS));
        }
        // A test delivery sends to wherever the route points: an admin's probe of a destination is audited.
        ObjectNode outcome = JsonNodeFactory.instance.objectNode()
                .put("outcome", String.valueOf(report.get("outcome")));
        adminEvent(admin, OperationType.ACTION, name + "/test", outcome);
        return report;
    }

    @POST
    @Path("routes/{name}/pause")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> pause(@PathParam("name") String name) {
        return changeState(name, "pause", (state, admin) ->
                state.pause(System.currentTimeMillis(), "paused by " + admin.username()));
    }

    @POST
    @Path("routes/{name}/resume")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> resume(@PathParam("name") String name) {
        // Also "the receiver is back": the node that delivers the route sees it no longer marked failing at its
        // next tick, ends the route's wait and makes the events it held for a retry due (OutboxDispatcher).
        return changeState(name, "resume", (state, admin) -> state.resume());
    }

    private Map<String, Object> changeState(String name, String action,
                                            java.util.function.BiConsumer<RouteStateEntity, AdminCaller> change) {
        AdminCaller admin = manager();
        RealmModel realm = caller.realm();
        Route route = existing(realm, name);
        RouteStateEntity state = new ExportStore(session).stateForChange(realm.getId(), name);
        change.accept(state, admin);
        adminEvent(admin, OperationType.ACTION, name + "/" + action, null);
        return representation(route, state);
    }

    @GET
    @Path("backlog")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> backlog() {
        RealmModel realm = viewer();
        ExportStore store = new ExportStore(session);
        Map<String, Map<String, long[]>> figures = store.figures(realm.getId());
        long now = System.currentTimeMillis();
        List<Map<String, Object>> routes = new ArrayList<>();
        for (Route route : RouteStore.routes(realm).values()) {
            Map<String, long[]> byStatus = figures.getOrDefault(route.name(), Map.of());
            long[] pending = byStatus.getOrDefault(DeliveryEntity.PENDING, new long[] {0, now});
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("route", route.name());
            entry.put("sink", route.sink());
            entry.put("pending", pending[0]);
            entry.put("oldestPendingSeconds", pending[0] == 0 ? 0 : Math.max(0, (now - pending[1]) / 1000));
            entry.put("dead", byStatus.getOrDefault(DeliveryEntity.DEAD, new long[] {0, 0})[0]);
            entry.put("deliveredKept", byStatus.getOrDefault(DeliveryEntity.DELIVERED, new long[] {0, 0})[0]);
            entry.put("state", state(store.state(realm.getId(), route.name())));
            routes.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routes", routes);
        body.put("notYetRouted", store.notFannedOut(realm.getId())); // this realm's: not the server's volume
        return body;
    }

    @GET
    @Path("routes/{name}/dead")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> dead(@PathParam("name") String name, @QueryParam("first") Integer first,
                                          @QueryParam("max") Integer max) {
        RealmModel realm = viewer();
        existing(realm, name);
        List<Map<String, Object>> dead = new ArrayList<>();
        for (DeliveryEntity delivery : new ExportStore(session).dead(realm.getId(), name,
                first == null ? 0 : Math.max(0, first), max == null ? 100 : Math.min(Math.max(1, max), 1000))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("eventId", delivery.getEventId());
            entry.put("eventTime", Instant.ofEpochMilli(delivery.getEventTime()).toString());
            entry.put("attempts", delivery.getAttempts());
            entry.put("lastAttempt", delivery.getLastAttemptAt() == null ? null
                    : Instant.ofEpochMilli(delivery.getLastAttemptAt()).toString());
            entry.put("lastError", withoutBody(delivery.getLastError()));
            dead.add(entry);
        }
        return dead;
    }

    @POST
    @Path("routes/{name}/dead/{eventId}/replay")
    public Response replayOne(@PathParam("name") String name, @PathParam("eventId") String eventId) {
        AdminCaller admin = manager();
        RealmModel realm = caller.realm();
        existing(realm, name);
        if (!new ExportStore(session).replayDead(realm.getId(), name, eventId)) {
            throw Problems.failure(Response.Status.NOT_FOUND, "no dead event " + eventId + " on route " + name);
        }
        adminEvent(admin, OperationType.ACTION, name + "/dead/" + eventId + "/replay", null);
        return Response.ok(Map.of("replayed", 1)).type(MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("routes/{name}/dead/replay")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> replayAllDead(@PathParam("name") String name) {
        AdminCaller admin = manager();
        RealmModel realm = caller.realm();
        existing(realm, name);
        int replayed = new ExportStore(session).replayAllDead(realm.getId(), name);
        adminEvent(admin, OperationType.ACTION, name + "/dead/replay", null);
        return Map.of("replayed", replayed);
    }

    /** Sends the events of a time range (ISO-8601 instants, {@code to} exclusive) to the route again: a back-fill. */
    @POST
    @Path("routes/{name}/replay")
    @Produces(MediaType.APPLICATION_JSON)
    public Response replayRange(@PathParam("name") String name, @QueryParam("from") String from,
                                @QueryParam("to") String to) {
        AdminCaller admin = manager();
        RealmModel realm = caller.realm();
        Route route = existing(realm, name);
        ReplayRange range;
        try {
            range = ReplayRange.parse(from, to, Instant.now());
        } catch (IllegalArgumentException e) {
            return Problems.status(Response.Status.BAD_REQUEST, e.getMessage());
        }
        DispatcherSettings settings = ExportEventListenerProviderFactory.settings(session.getKeycloakSessionFactory());
        List<String> realmIds = new ArrayList<>(List.of(realm.getId()));
        ExportStore store = new ExportStore(session);
        if (org.keycloak.Config.getAdminRealm().equals(realm.getName()) && settings.crossRealmRoutes()
                && route.takesOtherRealms()) {
            RouteStateEntity state = store.state(realm.getId(), name);
            if (state == null || !CrossRealmApproval.approves(state.getCrossRealmApproval(),
                    realm.getAttribute(RouteStore.ATTRIBUTE_PREFIX + name))) {
                return Problems.status(Response.Status.FORBIDDEN, "this route takes other realms' events only once an "
                        + "admin who may view them has saved it through this API");
            }
            try {
                CrossRealmRoutes.check(session, realm, admin.auth(), route.definition().path("realms"), true);
            } catch (ForbiddenException e) {
                return Problems.status(Response.Status.FORBIDDEN, e.getMessage());
            }
            session.realms().getRealmsStream()
                    .filter(other -> route.coversRealm(true, realm.getId(), other.getId(), other.getName()))
                    .forEach(other -> realmIds.add(other.getId()));
        }
        long since = range.from().toEpochMilli();
        long until = range.to().toEpochMilli();
        String tooMany = ReplayRange.tooMany(store.countInRange(realmIds, since, until), settings.maxReplayEvents());
        if (tooMany != null) {
            return Problems.status(Response.Status.REQUEST_ENTITY_TOO_LARGE, tooMany);
        }
        int queued = store.replayRange(realm.getId(), name, realmIds, since, until, route.events()::accepts);
        adminEvent(admin, OperationType.ACTION, name + "/replay", null);
        return Response.ok(Map.of("queued", queued)).type(MediaType.APPLICATION_JSON).build();
    }

    private RealmModel viewer() {
        caller.permissions().realm().requireViewEvents();
        return caller.realm();
    }

    private AdminCaller manager() {
        caller.permissions().realm().requireManageEvents();
        return caller;
    }

    /**
     * Who may decide where a realm's events go (create, replace, remove or test a route): a realm admin with
     * {@code manage-realm}, a right granted deliberately; {@code manage-events} alone only operates routes.
     */
    private AdminCaller routeEditor() {
        caller.permissions().realm().requireManageRealm();
        return caller;
    }

    private static Route existing(RealmModel realm, String name) {
        Route route = RouteStore.route(realm, name);
        if (route == null) {
            throw Problems.failure(Response.Status.NOT_FOUND, "no export route " + name);
        }
        return route;
    }

    private static Map<String, Object> representation(Route route, RouteStateEntity state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", route.name());
        body.putAll(JSON.convertValue(masked(route.definition()), Map.class));
        body.put("state", state(state));
        return body;
    }

    /** Secrets written into a route as such (not as vault expressions) are never shown back. */
    static ObjectNode masked(ObjectNode definition) {
        ObjectNode copy = definition.deepCopy();
        if (copy.get("settings") instanceof ObjectNode settings) {
            for (String field : List.of("secret", "previousSecret", "token")) {
                mask(settings, field);
            }
        }
        if (copy.get("pii") instanceof ObjectNode pii) {
            mask(pii, "hashKey");
        }
        return copy;
    }

    private static void mask(ObjectNode node, String field) {
        String value = node.path(field).asText("");
        if (!value.isEmpty() && !SinkContext.isVaultExpression(value)) {
            node.put(field, "**********");
        }
    }

    /** Rows written before answers lost their bodies ("HTTP 500: <body>") show the status only. */
    static String withoutBody(String error) {
        return error == null ? null : error.replaceAll("(?s)(HTTP \\d{3}): .*$", "$1"); // a body of several lines too
    }

    private static Map<String, Object> state(RouteStateEntity state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("paused", state != null && state.isPaused());
        if (state != null && state.isPaused()) {
            body.put("pausedAt", Instant.ofEpochMilli(state.getPausedAt()).toString());
            body.put("pauseReason", withoutBody(state.getPauseReason()));
        }
        if (state != null && state.getFailingSince() != null) {
            body.put("failingSince", Instant.ofEpochMilli(state.getFailingSince()).toString());
        }
        body.put("delivered", state == null ? 0 : state.getDeliveredCount());
        if (state != null && state.getLastDeliveredAt() != null) {
            body.put("lastDeliveredAt", Instant.ofEpochMilli(state.getLastDeliveredAt()).toString());
        }
        return body;
    }

    private static void adminEvent(AdminCaller admin, OperationType operation, String path, ObjectNode representation) {
        AdminEventBuilder event = admin.event(operation, ExportResourceFactory.ID, "routes", path);
        if (representation != null) {
            event.representation(representation);
        }
        event.success();
    }
}
