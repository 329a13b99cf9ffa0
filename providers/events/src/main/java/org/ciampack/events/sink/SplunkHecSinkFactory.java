package org.ciampack.events.sink;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splunk HTTP Event Collector: events batched into one request to {@code /services/collector/event} with
 * {@code Authorization: Splunk <token>}. Settings: {@code url} (the collector's base URL), {@code token} (from the
 * vault), optional {@code index}, {@code sourcetype} (default {@code keycloak:ciam}) and {@code source}.
 */
public final class SplunkHecSinkFactory implements ExportSinkFactory {

    public static final String ID = "splunk-hec";
    static final String EVENT_PATH = "/services/collector/event";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public List<String> validate(ObjectNode settings) {
        List<String> problems = new ArrayList<>();
        String url = settings.path("url").asText("");
        if (url.isBlank()) {
            problems.add("settings.url is missing: the collector, e.g. https://splunk.example.com:8088");
        } else if (!SinkContext.isVaultExpression(url)) {
            HttpPost.checkWritten(url, problems);
        }
        if (settings.path("token").asText("").isBlank()) {
            problems.add("settings.token is missing: the HEC token, from the vault as ${vault.export-<name>}");
        }
        SinkTimeouts.check(settings, List.of(SinkTimeouts.CONNECT, SinkTimeouts.READ), problems);
        return problems;
    }

    @Override
    public ExportSink open(SinkContext context) {
        String base = context.secret("url");
        String token = context.secret("token");
        if (base == null || token == null) {
            throw new IllegalArgumentException("settings.url or settings.token is not in the vault");
        }
        String path = HttpPost.parse(base).getPath();
        // the collector's base URL gets the event endpoint; a full endpoint URL is used as given
        String url = path == null || path.isEmpty() || path.equals("/") ? base.replaceAll("/+$", "") + EVENT_PATH : base;
        HttpPost endpoint = new HttpPost(context, url);
        String index = context.text("index", null);
        String sourcetype = context.text("sourcetype", "keycloak:ciam");
        String source = context.text("source", "keycloak/" + context.realmName());
        return new ExportSink() {
            @Override
            public SinkAnswer send(List<OutgoingEvent> events) {
                StringBuilder body = new StringBuilder();
                for (OutgoingEvent event : events) {
                    ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
                    wrapper.put("time", event.time().toEpochMilli() / 1000.0);
                    wrapper.put("host", context.hostname());
                    wrapper.put("source", source);
                    wrapper.put("sourcetype", sourcetype);
                    if (index != null) {
                        wrapper.put("index", index);
                    }
                    String json = wrapper.toString();
                    String eventJson = event.json() ? event.body()
                            : JsonNodeFactory.instance.textNode(event.body()).toString();
                    body.append(json, 0, json.length() - 1).append(",\"event\":").append(eventJson).append('}');
                }
                return endpoint.post("application/json", body.toString(), Map.of("Authorization", "Splunk " + token));
            }

            @Override
            public void close() {
                endpoint.close();
            }
        };
    }
}
