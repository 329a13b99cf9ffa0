package org.ciampack.profiling;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Picks the questions due at a login from the plan: the attributes of every stage whose trigger is met, that the
 * user has not filled in, may edit, and that are not snoozed; those a client needs now first, then those that may
 * no longer be skipped, then the plan's order; at most K. {@code askable} is only consulted for attributes that
 * are otherwise due, so a login with nothing due never builds a user profile.
 */
public final class DueQuestions {

    private DueQuestions() {
    }

    public static List<Question> select(ProfilingPlan plan, LoginFacts login, QuestionHistory history,
            Predicate<String> filledIn, Predicate<String> askable, Instant now) {
        Map<String, Question> due = new LinkedHashMap<>();
        for (Stage stage : plan.stages()) {
            if (!stage.trigger().isMet(login)) {
                continue;
            }
            for (String attribute : stage.attributes()) {
                if (filledIn.test(attribute) || history.snoozed(attribute, now, plan.snooze())
                        || !askable.test(attribute)) {
                    continue;
                }
                int skipsLeft = Math.max(0, stage.skippable() - history.skips(attribute));
                Question question = new Question(attribute, skipsLeft, stage.trigger().needsNow());
                // When two stages ask the same attribute, the stricter one decides.
                due.merge(attribute, question, (a, b) -> new Question(attribute, Math.min(a.skipsLeft(), b.skipsLeft()),
                        a.neededNow() || b.neededNow()));
            }
        }
        return due.values().stream()
                .sorted(Comparator.comparing((Question q) -> !q.neededNow()).thenComparing(Question::skippable))
                .limit(plan.maxQuestions())
                .toList();
    }
}
