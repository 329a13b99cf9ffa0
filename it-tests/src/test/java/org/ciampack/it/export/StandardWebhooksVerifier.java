package org.ciampack.it.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.Settings;

/** Checks received webhooks with the reference implementation, npm's {@code standardwebhooks}, run by Node.js. */
final class StandardWebhooksVerifier {

    private StandardWebhooksVerifier() {
    }

    /** The verdict per delivery, in order: "ok", or the library's error message. */
    static List<String> verify(List<WebhookReceiver.Received> deliveries, String secret) {
        ArrayNode input = Http.JSON.createArrayNode();
        for (WebhookReceiver.Received delivery : deliveries) {
            ObjectNode item = input.addObject();
            item.put("secret", secret);
            ObjectNode headers = item.putObject("headers");
            for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
                headers.put(name, delivery.header(name));
            }
            item.put("body", delivery.body());
        }
        try {
            Path file = Files.createTempFile(Settings.output(), "webhooks-", ".json");
            Files.writeString(file, input.toString());
            ProcessBuilder command = new ProcessBuilder("node",
                    Settings.existingPath("ciam.it.node.scripts").resolve("verify-webhooks.cjs").toString(), file.toString())
                    .redirectErrorStream(true);
            // the library is installed under target/node by the build (exec-maven-plugin, npm install)
            command.environment().put("NODE_PATH", Settings.existingPath("ciam.it.node.modules").toString());
            Process node = command.start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
                throw new IllegalStateException("the standardwebhooks verifier failed:\n" + output);
            }
            List<String> verdicts = new ArrayList<>();
            for (String line : output.strip().split("\n")) {
                JsonNode verdict = Http.json(line);
                verdicts.add(verdict.path("ok").asBoolean() ? "ok" : verdict.path("error").asText());
            }
            return verdicts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
