package org.ciampack.profiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ciampack.common.testing.ModulePages;
import org.junit.jupiter.api.Test;

class ProfilingPlanTest {

    @Test
    void readsTheDemoPlan() {
        ProfilingPlan plan = ProfilingPlan.read(Map.of(
                "stages", "phone | login 2 | skippable 2##birthdate | login 3 | skippable 1##address | client acme-shop",
                "max-questions", "2", "snooze-hours", "0"));

        assertThat(plan.problems()).isEmpty();
        assertThat(plan.stages()).containsExactly(
                new Stage(List.of("phone"), new Trigger.AfterLogins(2), 2),
                new Stage(List.of("birthdate"), new Trigger.AfterLogins(3), 1),
                new Stage(List.of("address"), new Trigger.ForClient("acme-shop"), 0));
        assertThat(plan.maxQuestions()).isEqualTo(2);
        assertThat(plan.snooze()).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsEveryTriggerAndSeveralAttributesPerStage() {
        ProfilingPlan plan = ProfilingPlan.read(Map.of("stages",
                " firstName, lastName |Days 30|SKIPPABLE 3 ##country | scope shop"));

        assertThat(plan.stages()).containsExactly(
                new Stage(List.of("firstName", "lastName"), new Trigger.DaysAfterRegistration(30), 3),
                new Stage(List.of("country"), new Trigger.ForScope("shop"), 0));
    }

    @Test
    void theLoginCountMattersUpToTheHighestLoginStage() {
        assertThat(ProfilingPlan.read(Map.of("stages", "phone | login 2##birthdate | login 3##address | client acme-shop"))
                .loginsThatMatter()).isEqualTo(3);
        assertThat(ProfilingPlan.read(Map.of("stages", "country | days 30##address | client acme-shop"))
                .loginsThatMatter()).as("no stage counts logins").isZero();
    }

    @Test
    void defaultsWithoutConfiguration() {
        ProfilingPlan plan = ProfilingPlan.read(null);

        assertThat(plan.stages()).isEmpty();
        assertThat(plan.maxQuestions()).isEqualTo(2);
        assertThat(plan.snooze()).isEqualTo(Duration.ofHours(24));
        assertThat(plan.problems()).isEmpty();
    }

    @Test
    void aMalformedStageIsLeftOutAndNamedTheOthersStay() {
        ProfilingPlan plan = ProfilingPlan.read(Map.of(
                "stages", "phone | login two##birthdate | login 3##email | login 1##<b> | login 1##company",
                "max-questions", "0", "snooze-hours", "soon"));

        assertThat(plan.stages()).containsExactly(new Stage(List.of("birthdate"), new Trigger.AfterLogins(3), 0));
        assertThat(plan.problems()).hasSize(6);
        assertThat(plan.problems().get(0)).contains("'two' is not a whole number");
        assertThat(plan.problems().get(1)).contains("'email' has its own flow");
        assertThat(plan.problems().get(2)).contains("'<b>' is not a user-profile attribute name");
        assertThat(plan.problems().get(3)).contains("expected 'attributes | trigger");
        assertThat(plan.problems().get(4)).startsWith("max-questions");
        assertThat(plan.problems().get(5)).startsWith("snooze-hours");
        assertThat(plan.maxQuestions()).isEqualTo(2);
        assertThat(plan.snooze()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void unknownTriggerOrSkipWordsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Stage.parse("phone | weekly 2")).hasMessageContaining("unknown trigger 'weekly'");
        assertThatThrownBy(() -> Stage.parse("phone | login 2 | twice")).hasMessageContaining("skippable N");
        assertThatThrownBy(() -> Stage.parse("phone | login 0")).hasMessageContaining("from 1");
        assertThatThrownBy(() -> Stage.parse(" , | login 2")).hasMessageContaining("no attribute");
    }

    /** The profiling page ships in this module's JAR with every text it and the code name, so any theme renders it. */
    @Test
    void itsPagesAndTextsShipWithTheModule() {
        assertThat(ModulePages.problems()).isEmpty();
    }
}
