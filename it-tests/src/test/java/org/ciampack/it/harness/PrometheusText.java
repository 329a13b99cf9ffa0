package org.ciampack.it.harness;

import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples read from a metrics endpoint's Prometheus text. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * A histogram's cumulative bucket counts, upper bound in seconds ({@code +Inf} last) to count, summed over the
     * histogram's other labels; empty when the text has no {@code <name>_bucket} lines.
     */
    public static TreeMap<Double, Double> buckets(String text, String name) {
        return buckets(text, name, null);
    }

    /** As {@link #buckets(String, String)}, of the series with the label given ({@code sink="webhook"}) only. */
    public static TreeMap<Double, Double> buckets(String text, String name, String label) {
        String labelled = label == null ? "" : "(?=[^}]*[{,]" + Pattern.quote(label) + "[,}])";
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + "_bucket" + labelled
                        + "\\{(?:.*,)?le=\"([^\"]+)\".*} (\\S+)$", Pattern.MULTILINE).matcher(text);
        TreeMap<Double, Double> buckets = new TreeMap<>();
        while (line.find()) {
            double le = line.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(line.group(1));
            buckets.merge(le, Double.parseDouble(line.group(2)), Double::sum);
        }
        return buckets;
    }
}
