package org.ciampack.events.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.ciampack.events.format.EventFormat;
import org.ciampack.events.format.SyslogFrame;
import org.ciampack.events.route.Route;
import org.ciampack.events.sink.OutgoingEvent;

/**
 * Turns a stored envelope into what a route sends: the admin representation removed unless the route asks for it,
 * personal data treated by the route's PII policy, then the route's format. Plain code, no session.
 */
public final class Rendering {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Route route;
    private final EventFormat format;
    private final byte[] hashKey;

    public Rendering(Route route, EventFormat format, byte[] hashKey) {
        this.route = route;
        this.format = format;
        this.hashKey = hashKey;
    }

    /** The event as the route sends it; {@code null} when the format skips it (e.g. a CRM contact without a user). */
    public OutgoingEvent render(String payload) {
        ObjectNode envelope;
        try {
            envelope = (ObjectNode) JSON.readTree(payload);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored event is not a JSON object", e);
        }
        return render(envelope);
    }

    public OutgoingEvent render(ObjectNode envelope) {
        JsonNode data = envelope.path("data");
        if (!route.representation() && data instanceof ObjectNode object) {
            object.remove("representation");
        }
        route.pii().apply(envelope, hashKey);
        String body = format.format(envelope);
        if (body == null) {
            return null;
        }
        String type = data.path("type").asText("UNKNOWN");
        return new OutgoingEvent(envelope.path("id").asText(), Instant.parse(envelope.path("time").asText()),
                severity(data), type, body, format.isJson());
    }

    /** Syslog severity: failures and risky logins as warnings, the rest informational. */
    static int severity(JsonNode data) {
        if ("high".equals(data.path("details").path("risk_level").asText())) {
            return SyslogFrame.SEVERITY_WARNING;
        }
        if (data.hasNonNull("error")) {
            return SyslogFrame.SEVERITY_WARNING;
        }
        return "admin".equals(data.path("kind").asText()) ? SyslogFrame.SEVERITY_NOTICE : SyslogFrame.SEVERITY_INFO;
    }
}
