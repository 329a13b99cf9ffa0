package org.ciampack.profiling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class DueQuestionsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final ProfilingPlan DEMO = ProfilingPlan.read(Map.of(
            "stages", "phone | login 2 | skippable 2##birthdate | login 3 | skippable 1##address | client acme-shop",
            "max-questions", "2", "snooze-hours", "0"));
    private static final Predicate<String> NOTHING_FILLED = name -> false;
    private static final Predicate<String> ALL_EDITABLE = name -> true;

    @Test
    void theFirstLoginAsksNothingTheSecondAsksThePhone() {
        assertThat(select(DEMO, login(1, "acme-web"), QuestionHistory.empty(), NOTHING_FILLED)).isEmpty();
        assertThat(select(DEMO, login(2, "acme-web"), QuestionHistory.empty(), NOTHING_FILLED))
                .containsExactly(new Question("phone", 2, false));
    }

    @Test
    void aSkippedQuestionComesBackWithOneSkipLessThenIsRequired() {
        QuestionHistory history = QuestionHistory.empty();
        history.skipped("phone", NOW.minusSeconds(60));
        assertThat(select(DEMO, login(3, "acme-web"), history, NOTHING_FILLED))
                .containsExactly(new Question("phone", 1, false), new Question("birthdate", 1, false));

        history.skipped("phone", NOW.minusSeconds(30));
        history.skipped("birthdate", NOW.minusSeconds(30));
        assertThat(select(DEMO, login(4, "acme-web"), history, NOTHING_FILLED))
                .containsExactly(new Question("phone", 0, false), new Question("birthdate", 0, false))
                .noneMatch(Question::skippable);
    }

    @Test
    void aClientsNeedComesFirstEvenOnTheFirstLoginAndKStillHolds() {
        assertThat(select(DEMO, login(1, "acme-shop"), QuestionHistory.empty(), NOTHING_FILLED))
                .containsExactly(new Question("address", 0, true));
        assertThat(select(DEMO, login(5, "acme-shop"), QuestionHistory.empty(), NOTHING_FILLED))
                .containsExactly(new Question("address", 0, true), new Question("phone", 2, false));
    }

    @Test
    void requiredQuestionsComeBeforeSkippableOnesWhenMoreThanKAreDue() {
        ProfilingPlan plan = ProfilingPlan.read(Map.of("stages",
                "company | login 1 | skippable 1##country | login 1 | skippable 1##phone | login 1", "max-questions", "2"));
        assertThat(select(plan, login(1, "acme-web"), QuestionHistory.empty(), NOTHING_FILLED))
                .containsExactly(new Question("phone", 0, false), new Question("company", 1, false));
    }

    @Test
    void filledInOrNotEditableAttributesAreNeverAsked() {
        Set<String> filled = Set.of("phone");
        assertThat(DueQuestions.select(DEMO, login(3, "acme-shop"), QuestionHistory.empty(), filled::contains,
                name -> !name.equals("address"), NOW)).containsExactly(new Question("birthdate", 1, false));
    }

    @Test
    void editabilityIsOnlyCheckedForQuestionsOtherwiseDue() {
        Predicate<String> refuseToBeAsked = name -> {
            throw new AssertionError("no user profile should be built when nothing is due: " + name);
        };
        assertThat(DueQuestions.select(DEMO, login(9, "acme-web"), QuestionHistory.empty(), name -> true,
                refuseToBeAsked, NOW)).isEmpty();
    }

    @Test
    void aSkippedQuestionWaitsOutTheSnooze() {
        ProfilingPlan plan = ProfilingPlan.read(Map.of("stages", "phone | login 1 | skippable 3", "snooze-hours", "24"));
        QuestionHistory history = QuestionHistory.empty();
        history.skipped("phone", NOW.minus(Duration.ofHours(23)));
        assertThat(select(plan, login(2, "acme-web"), history, NOTHING_FILLED)).isEmpty();

        history = QuestionHistory.fromJson(history.toJson());
        assertThat(DueQuestions.select(plan, login(3, "acme-web"), history, NOTHING_FILLED, ALL_EDITABLE,
                NOW.plus(Duration.ofHours(2)))).containsExactly(new Question("phone", 2, false));
    }

    @Test
    void daysAfterRegistrationAndScopesTrigger() {
        ProfilingPlan plan = ProfilingPlan.read(Map.of("stages", "company | days 30##country | scope shop"));
        assertThat(select(plan, new LoginFacts(4, 29, "acme-web", Set.of("openid")), QuestionHistory.empty(),
                NOTHING_FILLED)).isEmpty();
        assertThat(select(plan, new LoginFacts(4, 30, "acme-web", Set.of("openid", "shop")), QuestionHistory.empty(),
                NOTHING_FILLED)).containsExactly(new Question("country", 0, true), new Question("company", 0, false));
    }

    @Test
    void theStricterOfTwoStagesAskingOneAttributeDecides() {
        ProfilingPlan plan = ProfilingPlan.read(Map.of("stages", "phone | login 2 | skippable 2##phone | client acme-shop"));
        assertThat(select(plan, login(2, "acme-shop"), QuestionHistory.empty(), NOTHING_FILLED))
                .containsExactly(new Question("phone", 0, true));
    }

    @Test
    void theHistoryKeepsCountsAndSurvivesADamagedRow() {
        QuestionHistory history = QuestionHistory.empty();
        history.asked("phone");
        history.skipped("phone", NOW);
        history.answered("birthdate", NOW);
        QuestionHistory again = QuestionHistory.fromJson(history.toJson());
        assertThat(again.skips("phone")).isEqualTo(1);
        assertThat(again.skips("birthdate")).isZero();
        assertThat(QuestionHistory.fromJson("{not json").skips("phone")).isZero();
    }

    @Test
    void questionsTravelThroughTheAuthenticationSessionNote() {
        var questions = java.util.List.of(new Question("address", 0, true), new Question("phone", 2, false));
        assertThat(Question.listFromNote(Question.listToNote(questions))).isEqualTo(questions);
        assertThat(Question.listFromNote("")).isEmpty();
    }

    private static java.util.List<Question> select(ProfilingPlan plan, LoginFacts login, QuestionHistory history,
            Predicate<String> filledIn) {
        return DueQuestions.select(plan, login, history, filledIn, ALL_EDITABLE, NOW);
    }

    private static LoginFacts login(long number, String client) {
        return new LoginFacts(number, 0, client, Set.of());
    }
}
