package org.ciampack.events.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * JSON over HTTP(S), signed the Standard Webhooks way ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}): settings {@code url}, {@code secret} and, while a secret is being changed,
 * {@code previousSecret} (both sign), from the vault as {@code ${vault.export-<name>}}. One event per request, or a JSON
 * array of up to the route's {@code batchSize}.
 */
public class WebhookSinkFactory implements ExportSinkFactory {

    public static final String ID = "webhook";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public List<String> validate(ObjectNode settings) {
        List<String> problems = new ArrayList<>();
        String url = settings.path("url").asText(null);
        if (url == null || url.isBlank()) {
            problems.add("settings.url is missing");
        } else if (!SinkContext.isVaultExpression(url)) {
            HttpPost.checkWritten(url, problems);
        }
        if (settings.path("secret").asText("").isBlank()) {
            problems.add("settings.secret is missing: the receiver's signing secret (whsec_...), "
                    + "from the vault as ${vault.export-<name>}");
        }
        SinkTimeouts.check(settings, List.of(SinkTimeouts.CONNECT, SinkTimeouts.READ), problems);
        return problems;
    }

    @Override
    public ExportSink open(SinkContext context) {
        String url = context.secret("url");
        if (url == null) {
            throw new IllegalArgumentException("settings.url is not in the vault");
        }
        List<String> secrets = new ArrayList<>();
        String secret = context.secret("secret");
        if (secret == null) {
            throw new IllegalArgumentException("settings.secret is not in the vault");
        }
        secrets.add(secret);
        String previous = context.secret("previousSecret");
        if (previous != null && !previous.isBlank()) {
            secrets.add(previous);
        }
        WebhookSignature signature = WebhookSignature.of(secrets);
        HttpPost endpoint = new HttpPost(context, url);
        return new ExportSink() {
            @Override
            public SinkAnswer send(List<OutgoingEvent> events) {
                String body;
                String id;
                if (events.size() == 1) {
                    body = events.get(0).body();
                    id = events.get(0).id();
                } else {
                    StringBuilder array = new StringBuilder("[");
                    for (OutgoingEvent event : events) {
                        array.append(array.length() > 1 ? "," : "").append(event.json() ? event.body() : quoted(event.body()));
                    }
                    body = array.append(']').toString();
                    id = batchId(events);
                }
                String contentType = events.size() == 1 && !events.get(0).json() ? "text/plain; charset=utf-8"
                        : "application/json";
                return endpoint.post(contentType, body, signature.headers(id, Instant.now(), body));
            }

            @Override
            public void close() {
                endpoint.close();
            }
        };
    }

    /** A batch's message id: the same events give the same id, so a receiver drops a redelivered batch. */
    static String batchId(List<OutgoingEvent> events) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            events.forEach(event -> digest.update((event.id() + "\n").getBytes(StandardCharsets.UTF_8)));
            return "batch_" + HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quoted(String text) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(text).toString();
    }
}
