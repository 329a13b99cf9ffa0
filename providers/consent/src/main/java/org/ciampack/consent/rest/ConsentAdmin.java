package org.ciampack.consent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ciampack.common.AdminCaller;
import org.ciampack.common.LockedRealmAttributes;
import org.ciampack.common.Problems;
import org.ciampack.common.UserIds;
import org.ciampack.consent.Choice;
import org.ciampack.consent.ConsentDecisions;
import org.ciampack.consent.ConsentPurpose;
import org.ciampack.consent.Decision;
import org.ciampack.consent.Source;
import org.ciampack.consent.ConsentSettings;
import org.ciampack.consent.PurposeCatalog;
import org.ciampack.consent.ReceiptPseudonyms;
import org.ciampack.consent.ledger.ConsentLedger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Consent administration at {@code /admin/realms/<realm>/ciam-consent} in Keycloak's admin API: purposes
 * (view-realm to read, manage-realm to change), re-consent requests, a user's ledger, the realm's receipts as JSON
 * Lines or CSV for auditors, and counts (view-users for ledger data). Every change is written as an admin event.
 */
public final class ConsentAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USER_LEDGER = 10_000;
    private static final int MAX_USERS_PER_REQUEST = 1000;
    private static final int MAX_DECISIONS_PER_REQUEST = 100;
    private static final int EXPORT_PAGE = 1000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminAuth admin;
    private final AdminPermissionEvaluator permissions;

    ConsentAdmin(KeycloakSession session, AdminCaller caller) {
        this.session = session;
        this.realm = caller.realm();
        this.admin = caller.auth();
        this.permissions = caller.permissions();
    }

    @GET
    @Path("purposes")
    @Produces(MediaType.APPLICATION_JSON)
    public Response purposes() {
        permissions.realm().requireViewRealm();
        ArrayNode list = JSON.createArrayNode();
        PurposeCatalog catalog = catalog();
        Instant now = Instant.now();
        catalog.all().forEach(purpose -> list.add(view(catalog, purpose, now)));
        return Response.ok(list).build();
    }

    @GET
    @Path("purposes/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response purpose(@PathParam("id") String id) {
        permissions.realm().requireViewRealm();
        PurposeCatalog catalog = catalog();
        return catalog.find(id).map(purpose -> Response.ok(view(catalog, purpose, Instant.now())).build())
                .orElseGet(() -> Problems.status(Response.Status.NOT_FOUND, "no consent purpose with that id"));
    }

    /**
     * Creates or changes a purpose. A higher version publishes it: every user decides again at the next login (a
     * required one before going on). A version may not go down, or the ledger's receipts would name a future one.
     */
    @PUT
    @Path("purposes/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response savePurpose(@PathParam("id") String id, String body) {
        permissions.realm().requireManageRealm();
        if (Problems.tooLarge(body)) {
            return Problems.tooLarge();
        }
        List<String> problems = new ArrayList<>();
        JsonNode json = Problems.json(body, problems);
        if (json == null) {
            return Problems.badRequest(problems);
        }
        if (json.isObject() && !json.has("id")) {
            ((ObjectNode) json).put("id", id);
        }
        Optional<ConsentPurpose> parsed = PurposeCatalog.parse(json, problems);
        if (parsed.isPresent() && !parsed.get().id().equals(id)) {
            problems.add("the id in the body must match the id in the path");
        }
        PurposeCatalog catalog = catalogForChange();
        Optional<ConsentPurpose> existing = catalog.find(id);
        if (parsed.isPresent() && existing.isPresent() && parsed.get().version() < existing.get().version()) {
            problems.add("version may not go down (it is " + existing.get().version() + ")");
        }
        if (parsed.isPresent() && existing.isPresent() && parsed.get().version() == existing.get().version()
                && !sameWording(parsed.get(), existing.get())) {
            // a grant of version N is proof of the text of version N: new wording is a new version
            problems.add("a changed title, description, document or requirement needs a higher version (it is "
                    + existing.get().version() + ")");
        }
        if (parsed.isPresent() && (existing.isEmpty() || parsed.get().version() > existing.get().version())) {
            // A purpose removed and made again, or a version ahead withdrawn and published again, must not reach a
            // version the ledger holds decisions on with other text.
            int decided = new ConsentLedger(session).highestVersion(realm.getId(), id);
            if (parsed.get().version() <= decided) {
                problems.add("version must be above " + decided + ": the ledger holds decisions on version "
                        + decided + " of a purpose with this id");
            }
        }
        Instant now = Instant.now();
        if (parsed.isPresent() && existing.isPresent() && parsed.get().version() == existing.get().version()
                && existing.get().inEffect(now) && !parsed.get().inEffect(now)) {
            // customers have been asked this version; moving it ahead would leave the purpose unasked meanwhile
            problems.add("version " + existing.get().version() + " is in force: publish a higher version with "
                    + "effectiveFrom to replace it at a date");
        }
        if (parsed.isPresent() && existing.isPresent() && parsed.get().version() > existing.get().version()
                && !parsed.get().inEffect(now) && catalog.ahead(id, now).size() >= PurposeCatalog.MAX_AHEAD) {
            problems.add("at most " + PurposeCatalog.MAX_AHEAD + " versions of a purpose may wait for their date");
        }
        if (existing.isEmpty() && catalog.all().size() >= PurposeCatalog.MAX_PURPOSES) {
            problems.add("a realm has at most " + PurposeCatalog.MAX_PURPOSES + " purposes");
        }
        if (!problems.isEmpty()) {
            return Problems.badRequest(problems);
        }
        ConsentPurpose purpose = parsed.get();
        if (existing.isPresent() && purpose.reconsentAfter() == null) {
            purpose = purpose.withReconsentAfter(existing.get().reconsentAfter());
        }
        PurposeCatalog changed = catalog.with(purpose, now);
        realm.setAttribute(PurposeCatalog.ATTRIBUTE, changed.write());
        ObjectNode answer = view(changed, purpose, now);
        adminEvent(existing.isPresent() ? OperationType.UPDATE : OperationType.CREATE, "purposes/" + id, answer);
        return Response.status(existing.isPresent() ? Response.Status.OK : Response.Status.CREATED).entity(answer).build();
    }

    /**
     * A purpose as the admin API answers it: its latest version, whether that is in force, and if not, which version
     * is in force until its date.
     */
    private static ObjectNode view(PurposeCatalog catalog, ConsentPurpose purpose, Instant now) {
        ObjectNode node = PurposeCatalog.toJson(purpose);
        node.put("inForce", purpose.inEffect(now));
        if (!purpose.inEffect(now)) {
            catalog.findInForce(purpose.id(), now).ifPresent(inForce -> node.put("versionInForce", inForce.version()));
        }
        return node;
    }

    private static boolean sameWording(ConsentPurpose one, ConsentPurpose other) {
        return one.required() == other.required() && Objects.equals(one.title(), other.title())
                && Objects.equals(one.description(), other.description())
                && Objects.equals(one.documentUrl(), other.documentUrl());
    }

    /**
     * Withdraws a version published ahead of its date, before anyone is asked it: the version in force stays (a
     * purpose published ahead with no version in force goes). A version in force is not withdrawn: publish a higher
     * one, or remove the purpose.
     */
    @DELETE
    @Path("purposes/{id}/versions/{version}")
    public Response withdrawVersionAhead(@PathParam("id") String id, @PathParam("version") String version) {
        permissions.realm().requireManageRealm();
        PurposeCatalog catalog = catalogForChange();
        Optional<ConsentPurpose> ahead = catalog.ahead(id, Instant.now()).stream()
                .filter(published -> String.valueOf(published.version()).equals(version)).findFirst();
        if (ahead.isEmpty()) {
            return Problems.status(Response.Status.NOT_FOUND, "no version " + (version.length() > 12 ? "" : version)
                    + " of that purpose waits for its date");
        }
        realm.setAttribute(PurposeCatalog.ATTRIBUTE, catalog.withoutVersion(id, ahead.get().version()).write());
        adminEvent(OperationType.DELETE, "purposes/" + id + "/versions/" + ahead.get().version(), null);
        return Response.noContent().build();
    }

    /** Removes a purpose from what is asked; its receipts stay in the ledger as proof. */
    @DELETE
    @Path("purposes/{id}")
    public Response removePurpose(@PathParam("id") String id) {
        permissions.realm().requireManageRealm();
        PurposeCatalog catalog = catalogForChange();
        if (catalog.find(id).isEmpty()) {
            return Problems.status(Response.Status.NOT_FOUND, "no consent purpose with that id");
        }
        realm.setAttribute(PurposeCatalog.ATTRIBUTE, catalog.without(id).write());
        adminEvent(OperationType.DELETE, "purposes/" + id, null);
        return Response.noContent().build();
    }

    /**
     * Asks users to decide again on a purpose without a new version: {@code {"everyone": true}} or
     * {@code {"users": ["<user id>", ...]}}. They meet the consent step at their next login.
     */
    @POST
    @Path("purposes/{id}/reconsent")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response reconsent(@PathParam("id") String id, String body) {
        if (Problems.tooLarge(body)) {
            permissions.users().requireManage();
            return Problems.tooLarge();
        }
        List<String> problems = new ArrayList<>();
        JsonNode json = Problems.json(body, problems);
        boolean everyone = json != null && json.path("everyone").asBoolean(false);
        if (everyone) {
            permissions.realm().requireManageRealm();
        } else {
            permissions.users().requireManage();
        }
        PurposeCatalog catalog = catalog();
        Optional<ConsentPurpose> purpose = catalog.find(id);
        if (purpose.isEmpty()) {
            return Problems.status(Response.Status.NOT_FOUND, "no consent purpose with that id");
        }
        if (json == null || !json.isObject() || (!everyone && !json.path("users").isArray())) {
            problems.add("send {\"everyone\": true} or {\"users\": [\"<user id>\", ...]}");
            return Problems.badRequest(problems);
        }
        Instant now = Instant.now();
        ObjectNode answer = JSON.createObjectNode().put("purpose", id).put("requestedAt", now.toString());
        if (everyone) {
            PurposeCatalog current = catalogForChange();
            Optional<ConsentPurpose> inForce = current.findInForce(id, now);
            if (inForce.isEmpty()) {
                return Problems.status(Response.Status.CONFLICT, "no version of '" + id + "' is in force yet: it will "
                        + "be asked of everyone on its date");
            }
            realm.setAttribute(PurposeCatalog.ATTRIBUTE, current.with(inForce.get().withReconsentAfter(now), now).write());
            answer.put("everyone", true);
        } else {
            if (json.path("users").size() > MAX_USERS_PER_REQUEST) { // before any of them is looked up
                return Problems.badRequest(List.of("at most " + MAX_USERS_PER_REQUEST + " users per request"));
            }
            List<String> userIds = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            json.path("users").forEach(entry -> {
                UserModel user = entry.isTextual() && UserIds.mayName(entry.asText())
                        ? session.users().getUserById(realm, entry.asText()) : null;
                if (user != null) {
                    userIds.add(user.getId());
                } else {
                    unknown.add(entry.asText().length() > 64 ? entry.asText().substring(0, 64) + "..." : entry.asText());
                }
            });
            if (!unknown.isEmpty()) {
                problems.add("no such user(s): " + String.join(", ", unknown.subList(0, Math.min(10, unknown.size()))));
            }
            if (!problems.isEmpty()) {
                return Problems.badRequest(problems);
            }
            answer.put("users", new ConsentLedger(session).requestAgain(realm.getId(), userIds, id, now));
        }
        adminEvent(OperationType.ACTION, "purposes/" + id + "/reconsent", answer);
        return Response.ok(answer).build();
    }

    @GET
    @Path("users/{userId}/ledger")
    @Produces(MediaType.APPLICATION_JSON)
    public Response userLedger(@PathParam("userId") String userId) {
        UserModel user = UserIds.mayName(userId) ? session.users().getUserById(realm, userId) : null;
        if (user == null) {
            permissions.users().requireView();
            return Problems.status(Response.Status.NOT_FOUND, "no such user");
        }
        permissions.users().requireView(user);
        ArrayNode list = JSON.createArrayNode();
        new ConsentLedger(session).history(realm.getId(), user.getId(), USER_LEDGER)
                .forEach(receipt -> list.add(Receipts.json(receipt, true)));
        return Response.ok(list).build();
    }

    /**
     * Records decisions for a user on their behalf: consents carried over from a legacy system ({@code "source":
     * "import"}) or taken down by staff ({@code "admin"}). Body: {@code {"source": "import", "decisions":
     * [{"purpose": "terms", "version": 1, "decision": "granted"}, ...]}}; a version may be any published one.
     * Decisions equal to the standing ones are skipped: 201 with the new receipts, or 200 and {@code []} if none.
     */
    @POST
    @Path("users/{userId}/receipts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response recordForUser(@PathParam("userId") String userId, String body) {
        UserModel user = UserIds.mayName(userId) ? session.users().getUserById(realm, userId) : null;
        if (user == null) {
            permissions.users().requireManage();
            return Problems.status(Response.Status.NOT_FOUND, "no such user");
        }
        permissions.users().requireManage(user);
        if (Problems.tooLarge(body)) {
            return Problems.tooLarge();
        }
        List<String> problems = new ArrayList<>();
        JsonNode json = Problems.json(body, problems);
        if (json == null || !json.isObject() || !json.path("decisions").isArray()) {
            problems.add("send {\"source\": \"import\" or \"admin\", \"decisions\": [{\"purpose\": ..., \"version\": ..., "
                    + "\"decision\": \"granted\", \"declined\" or \"withdrawn\"}]}");
            return Problems.badRequest(problems);
        }
        Source source = "admin".equals(json.path("source").asText("import")) ? Source.ADMIN
                : "import".equals(json.path("source").asText("import")) ? Source.IMPORT : null;
        if (source == null) {
            problems.add("source must be 'import' or 'admin'");
        }
        if (json.path("decisions").size() > MAX_DECISIONS_PER_REQUEST) {
            problems.add("at most " + MAX_DECISIONS_PER_REQUEST + " decisions per request");
        }
        PurposeCatalog catalog = catalog();
        List<Choice> choices = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : json.path("decisions")) {
            String where = "decisions[" + index++ + "]: ";
            Optional<ConsentPurpose> purpose = catalog.find(entry.path("purpose").asText(null));
            Optional<Decision> decision = Decision.parse(entry.path("decision").asText(null));
            if (purpose.isEmpty()) {
                problems.add(where + "no consent purpose with that id");
            } else if (!entry.path("version").isInt() || entry.path("version").asInt() < 1
                    || entry.path("version").asInt() > purpose.get().version()) {
                problems.add(where + "version must be a published version of '" + purpose.get().id() + "' (1 to "
                        + purpose.get().version() + ")");
            }
            if (decision.isEmpty()) {
                problems.add(where + "decision must be 'granted', 'declined' or 'withdrawn'");
            }
            if (problems.isEmpty()) {
                choices.add(new Choice(purpose.get().id(), entry.path("version").asInt(), decision.get()));
            }
        }
        if (!problems.isEmpty()) {
            return Problems.badRequest(problems);
        }
        ArrayNode list = JSON.createArrayNode();
        new ConsentDecisions(session, realm).record(user, choices, source, null, false)
                .forEach(receipt -> list.add(Receipts.json(receipt, true)));
        if (list.isEmpty()) {
            return Response.ok(list).build(); // each decision was already the standing one: nothing to add
        }
        adminEvent(OperationType.CREATE, "users/" + user.getId() + "/receipts", list);
        return Response.status(Response.Status.CREATED).entity(list).build();
    }

    /** The realm's receipts decided in [from, to), oldest first: JSON Lines (default) or CSV, streamed in pages. */
    @GET
    @Path("receipts")
    @Produces({"application/x-ndjson", "text/csv"})
    public Response receipts(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("format") String format) {
        permissions.users().requireView();
        long start;
        long end;
        try {
            start = from == null ? 0 : Instant.parse(from).toEpochMilli();
            end = to == null ? Long.MAX_VALUE : Instant.parse(to).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) { // unreadable, or millions of years away
            return Problems.status(Response.Status.BAD_REQUEST, "from and to must be ISO-8601 instants such as "
                    + "2026-01-31T00:00:00Z");
        }
        boolean csv = "csv".equals(format);
        if (format != null && !csv && !"jsonl".equals(format)) {
            return Problems.status(Response.Status.BAD_REQUEST, "format must be 'jsonl' or 'csv'");
        }
        // Pages of EXPORT_PAGE receipts, each read after the last one written and then let go: the heap holds one
        // page whatever the ledger's size, and the answer flows out while the next page is read.
        StreamingOutput output = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            if (csv) {
                writer.write(Receipts.CSV_HEADER);
                writer.write("\r\n");
            }
            new ConsentLedger(session).forEachInRange(realm.getId(), start, end, EXPORT_PAGE, receipt -> {
                writer.write(csv ? Receipts.csv(receipt) : Receipts.json(receipt, true).toString());
                writer.write(csv ? "\r\n" : "\n");
            });
            writer.flush();
        };
        String name = "consent-receipts-" + realm.getName().replaceAll("[^A-Za-z0-9_-]", "_") + (csv ? ".csv" : ".jsonl");
        return Response.ok(output, csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"").build();
    }

    /**
     * The pseudonym a user's receipts carry once the user is removed, so an auditor who knows a former user's id
     * finds their receipts: {@code ?user=<id>}. The key never leaves the server.
     */
    @GET
    @Path("pseudonym")
    @Produces(MediaType.APPLICATION_JSON)
    public Response pseudonym(@QueryParam("user") String userId) {
        permissions.users().requireView();
        if (userId == null || userId.isBlank() || !UserIds.mayName(userId)) {
            return Problems.status(Response.Status.BAD_REQUEST,
                    "send the user id as ?user=<id> (at most " + UserIds.MAX_LENGTH + " characters)");
        }
        ConsentSettings settings = ConsentSettings.read(realm.getAttribute(ConsentSettings.ATTRIBUTE));
        return ReceiptPseudonyms.keyed(session, realm, settings, userId)
                .map(pseudonym -> {
                    // A look-up links a removed user's receipts to them again: the admin events say who asked, for whom.
                    adminEvent(OperationType.ACTION, "pseudonym", JSON.createObjectNode().put("user", userId));
                    return Response.ok(JSON.createObjectNode().put("user", userId).put("pseudonym", pseudonym))
                            .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
                })
                .orElseGet(() -> Problems.status(Response.Status.CONFLICT, "the realm has no key for pseudonyms: "
                        + "put one in the vault as " + settings.pseudonymKey()));
    }

    /** Receipts per purpose, version and decision. */
    @GET
    @Path("counts")
    @Produces(MediaType.APPLICATION_JSON)
    public Response counts() {
        permissions.users().requireView();
        ArrayNode list = JSON.createArrayNode();
        for (Object[] row : new ConsentLedger(session).counts(realm.getId())) {
            list.addObject().put("purpose", (String) row[0]).put("version", ((Number) row[1]).intValue())
                    .put("decision", (String) row[2]).put("count", ((Number) row[3]).longValue());
        }
        return Response.ok(list).build();
    }

    @GET
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public Response settings() {
        permissions.realm().requireViewRealm();
        return Response.ok(ConsentSettings.read(realm.getAttribute(ConsentSettings.ATTRIBUTE)).toJson()).build();
    }

    @PUT
    @Path("settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response changeSettings(String body) {
        permissions.realm().requireManageRealm();
        if (Problems.tooLarge(body)) {
            return Problems.tooLarge();
        }
        List<String> problems = new ArrayList<>();
        JsonNode json = Problems.json(body, problems);
        Optional<ConsentSettings> changed = problems.isEmpty()
                ? ConsentSettings.read(LockedRealmAttributes.read(session, realm, ConsentSettings.ATTRIBUTE))
                        .change(json, problems)
                : Optional.empty();
        if (changed.isEmpty()) {
            return Problems.badRequest(problems);
        }
        realm.setAttribute(ConsentSettings.ATTRIBUTE, changed.get().toJson().toString());
        adminEvent(OperationType.UPDATE, "settings", changed.get().toJson());
        return Response.ok(changed.get().toJson()).build();
    }

    private PurposeCatalog catalog() {
        return PurposeCatalog.read(realm.getAttribute(PurposeCatalog.ATTRIBUTE));
    }

    /** The catalog as it is now, locked until this request's change is written. */
    private PurposeCatalog catalogForChange() {
        return PurposeCatalog.read(LockedRealmAttributes.read(session, realm, PurposeCatalog.ATTRIBUTE));
    }

    private void adminEvent(OperationType operation, String path, JsonNode representation) {
        AdminEventBuilder event = new AdminEventBuilder(realm, admin, session, session.getContext().getConnection())
                .resource(ResourceType.REALM).operation(operation)
                .resourcePath(ConsentResourceFactory.ID, path);
        if (representation != null) {
            event.representation(representation);
        }
        event.success();
    }
}
