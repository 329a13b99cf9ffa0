package org.ciampack.it.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ciampack.it.harness.LocalProcesses;

/**
 * The SQL statements Keycloak's PostgreSQL ran per login in a side's rounds, from {@code pg_stat_statements}
 * (preloaded, and created in Keycloak's database): a figure the host's noise does not move, unlike throughput and
 * CPU. Each round is the difference of a snapshot before and after it, so the dispatcher's statements in the round
 * count too. Read with {@code psql} and a connection string, e.g. {@code "host=/tmp/pg port=55432 user=postgres
 * dbname=keycloak"}.
 */
final class StatementCounts {

    private static final String SNAPSHOT = "select queryid, calls from pg_stat_statements "
            + "where query not like '%pg_stat_statements%'";

    private final String connection;
    private final Map<String, Map<String, Long>> calls = new HashMap<>();
    private final Map<String, Double> logins = new HashMap<>();

    StatementCounts(String connection) {
        this.connection = connection;
    }

    /** Calls so far per statement (its query id). */
    Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new HashMap<>();
        for (String row : psql(SNAPSHOT)) {
            String[] columns = row.split("\\|");
            snapshot.merge(columns[0], Long.parseLong(columns[1]), Long::sum);
        }
        return snapshot;
    }

    /** Adds a round of {@code path} on {@code side} that ran {@code count} logins between the two snapshots. */
    void add(String path, String side, Map<String, Long> before, Map<String, Long> after, double count) {
        Map<String, Long> round = calls.computeIfAbsent(path + "|" + side, key -> new HashMap<>());
        after.forEach((query, total) -> {
            long difference = total - before.getOrDefault(query, 0L);
            if (difference > 0) {
                round.merge(query, difference, Long::sum);
            }
        });
        logins.merge(path + "|" + side, count, Double::sum);
    }

    /** Statements per login on each side, and the statements whose count per login differs most between them. */
    String report(String path, int lines) {
        Map<String, Long> pack = calls.getOrDefault(path + "|pack", Map.of());
        Map<String, Long> stock = calls.getOrDefault(path + "|stock", Map.of());
        double packLogins = logins.getOrDefault(path + "|pack", 1.0);
        double stockLogins = logins.getOrDefault(path + "|stock", 1.0);
        Set<String> queries = new HashSet<>(pack.keySet());
        queries.addAll(stock.keySet());
        Map<String, String> texts = texts();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "  %s: SQL statements per journey stock %.1f, pack %.1f; the largest differences (pack - stock):%n", path,
                total(stock) / stockLogins, total(pack) / packLogins));
        queries.stream()
                .map(query -> Map.entry(query, pack.getOrDefault(query, 0L) / packLogins
                        - stock.getOrDefault(query, 0L) / stockLogins))
                .sorted(Comparator.comparingDouble((Map.Entry<String, Double> entry) -> -Math.abs(entry.getValue())))
                .limit(lines)
                .forEach(entry -> out.append(String.format(Locale.ROOT, "    %+.2f  %s%n", entry.getValue(),
                        abbreviated(texts.getOrDefault(entry.getKey(), "?")))));
        return out.toString();
    }

    private static long total(Map<String, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String abbreviated(String sql) {
        return sql.length() <= 150 ? sql : sql.substring(0, 147) + "...";
    }

    private Map<String, String> texts() {
        Map<String, String> texts = new HashMap<>();
        for (String row : psql("select queryid, regexp_replace(query, '\\s+', ' ', 'g') from pg_stat_statements")) {
            int bar = row.indexOf('|');
            if (bar > 0) {
                texts.put(row.substring(0, bar), row.substring(bar + 1));
            }
        }
        return texts;
    }

    private List<String> psql(String sql) {
        String output = LocalProcesses.output(List.of("psql", connection, "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql));
        return Arrays.stream(output.split("\n")).filter(row -> !row.isBlank()).toList();
    }
}
