package org.ciampack.it.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ciampack.it.harness.PrometheusText;

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

    /** A histogram's cumulative bucket counts: upper bound in seconds ({@code +Inf} last) to count. */
    static TreeMap<Double, Double> buckets(URI metrics, String name) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        TreeMap<Double, Double> buckets = PrometheusText.buckets(body, name);
        if (buckets.isEmpty()) {
            throw new IllegalStateException("no " + name + "_bucket at " + metrics);
        }
        return buckets;
    }

    /**
     * The q-quantile of what a histogram counted between two readings, interpolated within its bucket as
     * Prometheus' {@code histogram_quantile} does (so as precise as the buckets are narrow).
     */
    static double quantile(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double q) {
        double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        if (total <= 0) {
            return Double.NaN; // nothing counted in between: no quantile, as Prometheus says
        }
        double rank = q * total;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lower; // beyond the largest bucket: its bound is all a histogram knows
                }
                return lower + (bucket.getKey() - lower) * (rank - below) / (count - below);
            }
            lower = bucket.getKey();
            below = count;
        }
        return lower;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
