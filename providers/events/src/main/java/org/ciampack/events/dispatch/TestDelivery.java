package org.ciampack.events.dispatch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ciampack.events.EventEnvelope;
import org.ciampack.events.route.Route;
import org.ciampack.events.sink.ExportSink;
import org.ciampack.events.sink.ExportSinkFactory;
import org.ciampack.events.sink.OutgoingEvent;
import org.ciampack.events.sink.SinkAnswer;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A test delivery for an admin setting up a route: one made-up event ({@code CIAM_EXPORT_TEST}, a fictitious user)
 * sent right away through the route's format, PII policy and sink, and the sink's answer reported back. It holds
 * one of Keycloak's request threads until the receiver answers or its timeouts pass, so a realm runs at most
 * {@value #PER_REALM} at a time: a realm admin cannot tie up the server's request threads with tests aimed at a
 * receiver that never answers.
 */
public final class TestDelivery {

    public static final int PER_REALM = 2;
    /** What a refused test is told to wait (Retry-After): most test deliveries answer within a few seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();

    /** The realm already runs {@value #PER_REALM} test deliveries. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("at most " + PER_REALM + " test deliveries of a realm at a time; try again once one has answered",
                    null, false, false);
        }
    }

    private TestDelivery() {
    }

    /** The report of one test delivery; {@link Busy} when the realm has {@value #PER_REALM} running. */
    public static Map<String, Object> send(KeycloakSession session, RealmModel realm, Route route) {
        AtomicInteger running = RUNNING.computeIfAbsent(realm.getId(), id -> new AtomicInteger());
        if (running.incrementAndGet() > PER_REALM) {
            running.decrementAndGet();
            throw new Busy();
        }
        try {
            return sendNow(session, realm, route);
        } finally {
            running.decrementAndGet();
        }
    }

    private static Map<String, Object> sendNow(KeycloakSession session, RealmModel realm, Route route) {
        Map<String, Object> report = new LinkedHashMap<>();
        String id = UUID.randomUUID().toString();
        report.put("eventId", id);
        ExportSinkFactory factory = (ExportSinkFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(ExportSinkFactory.class, route.sink());
        if (factory == null) {
            report.put("delivered", false);
            report.put("outcome", "ERROR");
            report.put("detail", "no sink '" + route.sink() + "' is installed");
            return report;
        }
        OpenRoute open = new OpenRoute(realm.getId(), realm.getName(), route);
        try {
            open.open(session, realm, factory);
            OutgoingEvent event = open.rendering().render(envelope(id, realm));
            ExportSink sink = open.sink();
            SinkAnswer answer = sink.send(List.of(event));
            report.put("delivered", answer.isDelivered());
            report.put("outcome", answer.outcome().name());
            report.put("detail", answer.detail());
        } catch (RuntimeException e) {
            report.put("delivered", false);
            report.put("outcome", "ERROR");
            report.put("detail", e.getMessage());
        } finally {
            open.close();
        }
        return report;
    }

    static ObjectNode envelope(String id, RealmModel realm) {
        Instant now = Instant.now();
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put("specversion", "1.0");
        envelope.put("id", id);
        envelope.put("source", "/realms/" + realm.getName());
        envelope.put("type", "org.ciampack.keycloak.user.CIAM_EXPORT_TEST");
        envelope.put("time", now.toString());
        envelope.put("subject", "export-test-user");
        envelope.put("datacontenttype", "application/json");
        envelope.put("ciamschema", EventEnvelope.SCHEMA_VERSION);
        ObjectNode data = envelope.putObject("data");
        data.put("kind", "user");
        data.put("type", "CIAM_EXPORT_TEST");
        data.put("realmId", realm.getId());
        data.put("realmName", realm.getName());
        data.put("userId", "export-test-user");
        data.putNull("error");
        data.putObject("details").put("note", "test delivery from the admin API");
        ObjectNode user = data.putObject("user");
        user.put("id", "export-test-user");
        user.put("username", "export-test");
        user.put("email", "export-test@example.invalid");
        data.put("updated_at", now.toString());
        return envelope;
    }
}
