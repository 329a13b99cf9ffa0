package org.ciampack.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The parsed form of a configuration (a realm attribute's JSON, a step's settings), kept for as long as the
 * configuration reads the same: every login reads the same few texts, and parsing them again cost each login about
 * 12 KB of garbage. Keyed by the configuration itself, so an admin's change takes effect at the next read on every
 * node, with nothing to invalidate. The parsed values must be immutable: every caller shares them.
 */
public final class ParsedOnce<K, V> {

    /** More than any server has realms and steps; beyond it (configurations churned by an API client) start over. */
    static final int MAX_ENTRIES = 512;

    private final Function<K, V> parser;
    private final Map<K, V> parsed = new ConcurrentHashMap<>();

    public ParsedOnce(Function<K, V> parser) {
        this.parser = parser;
    }

    /** The parsed value of {@code configuration}; null is parsed each time (it is the cheap, empty case). */
    public V of(K configuration) {
        if (configuration == null) {
            return parser.apply(null);
        }
        V known = parsed.get(configuration);
        if (known != null) {
            return known;
        }
        V fresh = parser.apply(configuration);
        if (parsed.size() >= MAX_ENTRIES) {
            parsed.clear();
        }
        parsed.put(configuration, fresh);
        return fresh;
    }
}
