package org.ciampack.consent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ciampack.common.Problems;
import org.ciampack.common.SelfServiceCaller;
import org.ciampack.common.SelfServiceCaller.Access;
import org.ciampack.consent.Choice;
import org.ciampack.consent.ConsentDecisions;
import org.ciampack.consent.ConsentPurpose;
import org.ciampack.consent.ConsentState;
import org.ciampack.consent.Decision;
import org.ciampack.consent.DecisionRate;
import org.ciampack.consent.PurposeCatalog;
import org.ciampack.consent.Source;
import org.ciampack.consent.ledger.ConsentLedger;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * The signed-in user's own consents ({@code /realms/<realm>/ciam-consent/me}), for an app with the user's account
 * token or the account console's consent page with the login cookie, as {@link SelfServiceCaller} admits them.
 * Only the caller's data is ever read or changed: no path names a user.
 */
public final class SelfService {

    static final String[] METHODS = {"GET", "PUT"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HISTORY = 1000;

    private final KeycloakSession session;
    private final RealmModel realm;

    SelfService(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response consents() {
        SelfServiceCaller caller = SelfServiceCaller.authenticate(session, Access.READ, METHODS);
        return caller.answer(Response.ok(standing(caller.user())).build());
    }

    /**
     * Grants or withdraws an optional purpose: {@code {"decision": "granted"|"withdrawn", "version": 3}}. Repeating
     * the standing decision changes nothing; more changes than the realm allows per minute get 429 and Retry-After.
     */
    @PUT
    @Path("{purpose}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response decide(@PathParam("purpose") String purposeId, String body) {
        SelfServiceCaller caller = SelfServiceCaller.authenticate(session, Access.CHANGE, METHODS);
        if (Problems.tooLarge(body)) {
            return caller.answer(Problems.tooLarge());
        }
        ConsentDecisions decisions = new ConsentDecisions(session, realm);
        Optional<ConsentPurpose> purpose = decisions.catalog().findInForce(purposeId, Instant.now());
        if (purpose.isEmpty()) {
            return caller.answer(Problems.status(Response.Status.NOT_FOUND, "no consent purpose in force with that id"));
        }
        List<String> problems = new ArrayList<>();
        JsonNode json = Problems.json(body, problems);
        if (json == null || !json.isObject()) {
            problems.add("send {\"decision\": \"granted\" or \"withdrawn\", \"version\": <the purpose's current version>}");
            return caller.answer(Problems.badRequest(problems));
        }
        Optional<Decision> decision = Decision.parse(json.path("decision").asText(null))
                .filter(d -> d != Decision.DECLINED);
        if (decision.isEmpty()) {
            problems.add("decision must be 'granted' or 'withdrawn'");
        }
        if (!json.path("version").isInt()) {
            problems.add("version must be the purpose's current version, a whole number");
        }
        if (!problems.isEmpty()) {
            return caller.answer(Problems.badRequest(problems));
        }
        ConsentPurpose current = purpose.get();
        if (json.path("version").asInt() != current.version()) {
            return caller.answer(Problems.status(Response.Status.CONFLICT, "version " + json.path("version").asInt()
                    + " of '" + current.id() + "' is not current; the current version is " + current.version()));
        }
        if (current.required() && decision.get() == Decision.WITHDRAWN) {
            return caller.answer(Problems.status(Response.Status.CONFLICT, "'" + current.id() + "' is required to "
                    + "use the service; it cannot be withdrawn while the account exists"));
        }
        try {
            // the same decision as the standing one records nothing: the answer is the standing as it is
            decisions.record(caller.user(), List.of(new Choice(current.id(), current.version(), decision.get())),
                    Source.SELF_SERVICE, caller.client(), false);
        } catch (DecisionRate.Exceeded e) {
            long seconds = e.retryAfter().toSeconds();
            return caller.answer(Problems.tooManyRequests("at most " + e.perMinute()
                    + " consent changes per minute; try again in " + seconds + " s", seconds));
        }
        return caller.answer(Response.ok(standing(caller.user())).build());
    }

    /** A copy of the caller's own data: profile, consents with their history, and sign-ins Keycloak has stored. */
    @GET
    @Path("export")
    @Produces(MediaType.APPLICATION_JSON)
    public Response export() {
        SelfServiceCaller caller = SelfServiceCaller.authenticate(session, Access.READ, METHODS);
        UserModel user = caller.user();
        ObjectNode data = JSON.createObjectNode();
        data.put("exportedAt", Instant.now().toString());
        data.put("realm", realm.getName());
        ObjectNode profile = data.putObject("profile");
        profile.put("id", user.getId());
        profile.put("username", user.getUsername());
        profile.put("email", user.getEmail());
        profile.put("emailVerified", user.isEmailVerified());
        profile.put("firstName", user.getFirstName());
        profile.put("lastName", user.getLastName());
        if (user.getCreatedTimestamp() != null) {
            profile.put("createdAt", Instant.ofEpochMilli(user.getCreatedTimestamp()).toString());
        }
        ObjectNode attributes = profile.putObject("attributes");
        session.getProvider(UserProfileProvider.class).create(UserProfileContext.ACCOUNT, user).getAttributes()
                .getReadable()
                .forEach((name, values) -> {
                    if (!List.of("username", "email", "firstName", "lastName").contains(name)) {
                        ArrayNode list = attributes.putArray(name);
                        values.forEach(list::add);
                    }
                });
        data.set("consents", standing(user));
        data.set("signIns", signIns(user));
        return caller.answer(Response.ok(data).header("Content-Disposition", "attachment; filename=\"my-data.json\"").build());
    }

    private ObjectNode standing(UserModel user) {
        ConsentDecisions decisions = new ConsentDecisions(session, realm);
        ConsentState state = decisions.state(user);
        PurposeCatalog catalog = decisions.catalog();
        Instant now = Instant.now();
        List<ConsentPurpose> due = state.due(catalog, now);
        PurposeTexts texts = PurposeTexts.of(session, realm, user);
        ObjectNode node = JSON.createObjectNode();
        ArrayNode purposes = node.putArray("purposes");
        for (ConsentPurpose purpose : catalog.inForce(now)) {
            ObjectNode entry = purposes.addObject();
            entry.put("id", purpose.id());
            entry.put("version", purpose.version());
            entry.put("required", purpose.required());
            entry.put("title", purpose.title());
            entry.put("description", purpose.description());
            entry.put("titleText", texts.text(purpose.title()));
            entry.put("descriptionText", texts.text(purpose.description()));
            entry.put("documentUrl", purpose.documentUrl());
            ConsentState.Latest latest = state.latest().get(purpose.id());
            if (latest != null) {
                entry.putObject("current").put("decision", latest.decision().id()).put("version", latest.version())
                        .put("decidedAt", latest.decidedAt().toString());
            }
            entry.put("granted", state.grants(purpose.id()));
            entry.put("due", due.contains(purpose));
        }
        ArrayNode history = node.putArray("history");
        new ConsentLedger(session).history(realm.getId(), user.getId(), HISTORY)
                .forEach(receipt -> history.add(Receipts.json(receipt, false)));
        return node;
    }

    /** Sign-ins from Keycloak's event store (with the risk step's score and reasons in their details, when it ran). */
    private ArrayNode signIns(UserModel user) {
        ArrayNode list = JSON.createArrayNode();
        EventStoreProvider store = session.getProvider(EventStoreProvider.class);
        if (store == null || !realm.isEventsEnabled()) {
            return list;
        }
        store.createQuery().realm(realm.getId()).user(user.getId()).type(EventType.LOGIN, EventType.LOGIN_ERROR)
                .maxResults(HISTORY).getResultStream().forEach(event -> {
                    ObjectNode entry = list.addObject();
                    entry.put("time", Instant.ofEpochMilli(event.getTime()).toString());
                    entry.put("type", event.getType().name());
                    entry.put("client", event.getClientId());
                    entry.put("ipAddress", event.getIpAddress());
                    if (event.getError() != null) {
                        entry.put("error", event.getError());
                    }
                    if (event.getDetails() != null) {
                        ObjectNode details = entry.putObject("details");
                        event.getDetails().forEach(details::put);
                    }
                });
        return list;
    }
}
