package org.ciampack.profiling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ciampack.common.ParsedOnce;

/**
 * The admin's plan, read from the step's configuration: the stages in order, at most K questions per login, and
 * how long a skipped question waits. A malformed stage is left out and named in {@link #problems()}, so one typo
 * never stops logins.
 */
public record ProfilingPlan(List<Stage> stages, int maxQuestions, Duration snooze, List<String> problems) {

    public static final String STAGES = "stages";
    public static final String MAX_QUESTIONS = "max-questions";
    public static final String SNOOZE_HOURS = "snooze-hours";
    public static final int DEFAULT_MAX_QUESTIONS = 2;
    public static final int DEFAULT_SNOOZE_HOURS = 24;
    /** How Keycloak joins the values of a multi-valued config property. */
    private static final String DELIMITER = "##";

    /** Read at every login; parsed once per configuration (a copy: a key must not change under the cache). */
    private static final ParsedOnce<Map<String, String>, ProfilingPlan> PARSED = new ParsedOnce<>(ProfilingPlan::parse);

    public static ProfilingPlan read(Map<String, String> config) {
        return PARSED.of(config == null ? null : new HashMap<>(config));
    }

    private static ProfilingPlan parse(Map<String, String> config) {
        List<String> problems = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        String lines = config == null ? null : config.get(STAGES);
        if (lines != null) {
            for (String line : lines.split(DELIMITER)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    stages.add(Stage.parse(line));
                } catch (IllegalArgumentException e) {
                    problems.add("stage '" + line.trim() + "' ignored: " + e.getMessage());
                }
            }
        }
        int maxQuestions = number(config, MAX_QUESTIONS, DEFAULT_MAX_QUESTIONS, 1, problems);
        int snoozeHours = number(config, SNOOZE_HOURS, DEFAULT_SNOOZE_HOURS, 0, problems);
        return new ProfilingPlan(List.copyOf(stages), maxQuestions, Duration.ofHours(snoozeHours),
                List.copyOf(problems));
    }

    /** The highest "login N" of the stages: beyond it the login count changes no stage (0 without such a stage). */
    public int loginsThatMatter() {
        return stages.stream().map(Stage::trigger).filter(Trigger.AfterLogins.class::isInstance)
                .mapToInt(trigger -> ((Trigger.AfterLogins) trigger).count()).max().orElse(0);
    }

    private static int number(Map<String, String> config, String key, int fallback, int min, List<String> problems) {
        String value = config == null ? null : config.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Trigger.positive(value.trim(), min);
        } catch (IllegalArgumentException e) {
            problems.add(key + " " + e.getMessage() + ", using " + fallback);
            return fallback;
        }
    }
}
