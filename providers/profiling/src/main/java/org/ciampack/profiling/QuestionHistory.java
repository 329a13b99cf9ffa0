package org.ciampack.profiling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to each question of one user: how often it was asked and skipped, and when it was last skipped.
 * Stored as JSON in the user's profiling row, never in the profile itself.
 */
public final class QuestionHistory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, Entry>> TYPE = new TypeReference<>() {
    };

    private final Map<String, Entry> entries;

    private QuestionHistory(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static QuestionHistory empty() {
        return new QuestionHistory(new TreeMap<>());
    }

    public static QuestionHistory fromJson(String json) {
        if (json == null || json.isBlank()) {
            return empty();
        }
        try {
            return new QuestionHistory(JSON.readValue(json, TYPE));
        } catch (JsonProcessingException e) {
            return empty(); // a damaged row only means the questions start afresh
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(entries);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public int skips(String attribute) {
        Entry entry = entries.get(attribute);
        return entry == null ? 0 : entry.skips;
    }

    /** True while a skipped question waits out the snooze. */
    public boolean snoozed(String attribute, Instant now, Duration snooze) {
        Entry entry = entries.get(attribute);
        return entry != null && entry.lastSkipped > 0
                && now.isBefore(Instant.ofEpochMilli(entry.lastSkipped).plus(snooze));
    }

    public void asked(String attribute) {
        entries.computeIfAbsent(attribute, a -> new Entry()).asked++;
    }

    public void skipped(String attribute, Instant now) {
        Entry entry = entries.computeIfAbsent(attribute, a -> new Entry());
        entry.skips++;
        entry.lastSkipped = now.toEpochMilli();
    }

    public void answered(String attribute, Instant now) {
        entries.computeIfAbsent(attribute, a -> new Entry()).answered = now.toEpochMilli();
    }

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public static final class Entry {
        public int asked;
        public int skips;
        public long lastSkipped;
        public long answered;
    }
}
