package org.ciampack.it.harness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The pack's orphan sweeps as the servers' metrics show them: per module, summed over the servers given. */
public final class OrphanSweeps {

    public static final List<String> MODULES = List.of("risk", "consent", "profiling");

    private OrphanSweeps() {
    }

    /** Sweeps done, per module. */
    public static Map<String, Double> done(List<? extends ServerUnderTest> servers) {
        return counters(servers, "ciam_orphans_sweeps_total", "outcome=\"done\"");
    }

    /** Users cleaned up after, per module. */
    public static Map<String, Double> cleaned(List<? extends ServerUnderTest> servers) {
        return counters(servers, "ciam_orphans_cleaned_total", "");
    }

    /** A counter's value per module (0 where it has not counted yet), of the series with {@code label} too. */
    private static Map<String, Double> counters(List<? extends ServerUnderTest> servers, String name, String label) {
        Map<String, Double> values = new HashMap<>();
        MODULES.forEach(module -> values.put(module, 0.0));
        for (ServerUnderTest server : servers) {
            String metrics = server.metrics();
            for (String module : MODULES) {
                values.merge(module, metrics.lines().filter(line -> line.startsWith(name + "{"))
                        .filter(line -> line.contains("module=\"" + module + "\"") && line.contains(label))
                        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum(),
                        Double::sum);
            }
        }
        return values;
    }
}
