package org.ciampack.it.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Figures read from a running server's Prometheus endpoint (management port 9000), and simple statistics. */
final class ServerMetrics {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServerMetrics() {
    }

    static URI of(URI base) {
        return URI.create("http://" + base.getHost() + ":9000/metrics");
    }

    /** One sample's value; {@code name} may carry labels, e.g. {@code x_seconds{quantile="0.95"}}. */
    static double value(URI metrics, String name) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name.replace("}", ",}") + " "))
                .findFirst().map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new IllegalStateException("no " + name + " at " + metrics
                        + "; start the server with --metrics-enabled=true"));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
