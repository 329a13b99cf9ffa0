package org.ciampack.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentStateTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant EARLIER = NOW.minusSeconds(3600);

    private static ConsentPurpose purpose(String id, int version, boolean required) {
        return new ConsentPurpose(id, version, required, "t", "d", null, null, null);
    }

    private static final PurposeCatalog CATALOG = PurposeCatalog.empty().with(purpose("terms", 1, true), NOW)
            .with(purpose("privacy", 2, true), NOW).with(purpose("marketing_email", 1, false), NOW);

    private static ConsentState.Latest latest(int version, Decision decision) {
        return new ConsentState.Latest(version, decision, EARLIER, 1);
    }

    @Test
    void aNewUserIsAskedEverything() {
        assertThat(ConsentState.none().due(CATALOG, NOW)).extracting(ConsentPurpose::id)
                .containsExactly("terms", "privacy", "marketing_email");
    }

    @Test
    void aNewVersionIsAskedAgainAndDecidedOnesAreNot() {
        ConsentState state = new ConsentState(Map.of("terms", latest(1, Decision.GRANTED),
                "privacy", latest(1, Decision.GRANTED), "marketing_email", latest(1, Decision.DECLINED)), Map.of());
        assertThat(state.due(CATALOG, NOW)).extracting(ConsentPurpose::id).containsExactly("privacy");
    }

    @Test
    void aDeclinedRequiredPurposeComesBackButAWithdrawnOptionalOneDoesNot() {
        ConsentState state = new ConsentState(Map.of("terms", latest(1, Decision.DECLINED),
                "privacy", latest(2, Decision.GRANTED), "marketing_email", latest(1, Decision.WITHDRAWN)), Map.of());
        assertThat(state.due(CATALOG, NOW)).extracting(ConsentPurpose::id).containsExactly("terms");
        assertThat(state.grants("marketing_email")).isFalse();
        assertThat(state.grants("privacy")).isTrue();
    }

    @Test
    void anAdminRequestAsksAgainWithoutANewVersion() {
        Map<String, ConsentState.Latest> decided = Map.of("terms", latest(1, Decision.GRANTED),
                "privacy", latest(2, Decision.GRANTED), "marketing_email", latest(1, Decision.GRANTED));
        assertThat(new ConsentState(decided, Map.of("marketing_email", NOW.minusSeconds(60))).due(CATALOG, NOW))
                .extracting(ConsentPurpose::id).containsExactly("marketing_email");
        PurposeCatalog everyone = CATALOG.with(purpose("terms", 1, true).withReconsentAfter(NOW.minusSeconds(60)), NOW);
        assertThat(new ConsentState(decided, Map.of()).due(everyone, NOW)).extracting(ConsentPurpose::id)
                .containsExactly("terms");
        // decided after the request: settled
        assertThat(new ConsentState(decided, Map.of("terms", EARLIER.minusSeconds(60))).due(CATALOG, NOW)).isEmpty();
    }

    @Test
    void aVersionNotYetInEffectIsNotAsked() {
        PurposeCatalog future = PurposeCatalog.empty().with(new ConsentPurpose("terms", 2, true, "t", "d", null,
                NOW.plusSeconds(86400), null), NOW);
        assertThat(ConsentState.none().due(future, NOW)).isEmpty();
        assertThat(ConsentState.none().due(future, NOW.plusSeconds(86400))).hasSize(1);
    }

    @Test
    void aVersionPublishedAheadLeavesTheOneInForceAskedUntilItsDate() {
        PurposeCatalog ahead = CATALOG.with(new ConsentPurpose("terms", 2, true, "t2", "d2", null,
                NOW.plusSeconds(86400), null), NOW);
        assertThat(ConsentState.none().due(ahead, NOW)).as("a new customer accepts the terms in force")
                .contains(purpose("terms", 1, true));
        ConsentState declined = new ConsentState(Map.of("terms", latest(1, Decision.DECLINED),
                "privacy", latest(2, Decision.GRANTED), "marketing_email", latest(1, Decision.GRANTED)), Map.of());
        assertThat(declined.due(ahead, NOW)).as("a customer who declined them is asked them again")
                .containsExactly(purpose("terms", 1, true));
        ConsentState accepted = new ConsentState(Map.of("terms", latest(1, Decision.GRANTED),
                "privacy", latest(2, Decision.GRANTED), "marketing_email", latest(1, Decision.GRANTED)), Map.of());
        assertThat(accepted.due(ahead, NOW)).as("nothing before the date").isEmpty();
        assertThat(accepted.due(ahead, NOW.plusSeconds(86400))).extracting(ConsentPurpose::version)
                .as("the new version on its date").containsExactly(2);
    }

    @Test
    void repeatingTheStandingDecisionChangesNothing() {
        ConsentState state = new ConsentState(Map.of("terms", latest(1, Decision.GRANTED),
                "privacy", latest(2, Decision.GRANTED), "marketing_email", latest(1, Decision.WITHDRAWN)), Map.of());
        assertThat(state.changes(List.of(new Choice("marketing_email", 1, Decision.WITHDRAWN)), CATALOG, NOW)).isEmpty();
        assertThat(state.changes(List.of(new Choice("privacy", 2, Decision.GRANTED),
                new Choice("terms", 1, Decision.GRANTED)), CATALOG, NOW)).isEmpty();
        Choice grant = new Choice("marketing_email", 1, Decision.GRANTED);
        assertThat(state.changes(List.of(grant), CATALOG, NOW)).containsExactly(grant);
        Choice olderVersion = new Choice("privacy", 1, Decision.GRANTED);
        assertThat(state.changes(List.of(olderVersion), CATALOG, NOW)).as("another version is another decision")
                .containsExactly(olderVersion);
    }

    @Test
    void withinOneBatchEachChoiceIsWeighedAgainstTheOneBefore() {
        Choice grant = new Choice("marketing_email", 1, Decision.GRANTED);
        Choice withdraw = new Choice("marketing_email", 1, Decision.WITHDRAWN);
        ConsentState state = new ConsentState(Map.of("marketing_email", latest(1, Decision.WITHDRAWN)), Map.of());
        assertThat(state.changes(List.of(grant, grant, withdraw, withdraw, grant), CATALOG, NOW))
                .containsExactly(grant, withdraw, grant);
    }

    @Test
    void theSameAnswerToAQuestionAskedAgainIsRecorded() {
        Choice grantTerms = new Choice("terms", 1, Decision.GRANTED);
        Map<String, ConsentState.Latest> decided = Map.of("terms", latest(1, Decision.GRANTED),
                "privacy", latest(2, Decision.GRANTED), "marketing_email", latest(1, Decision.GRANTED));
        ConsentState askedAgain = new ConsentState(decided, Map.of("terms", NOW.minusSeconds(60)));
        assertThat(askedAgain.changes(List.of(grantTerms, grantTerms), CATALOG, NOW)).as("once, not twice")
                .containsExactly(grantTerms);
        Choice declineTerms = new Choice("terms", 1, Decision.DECLINED);
        ConsentState declined = new ConsentState(Map.of("terms", latest(1, Decision.DECLINED)), Map.of());
        assertThat(declined.changes(List.of(declineTerms), CATALOG, NOW))
                .as("a required purpose declined at the last login is asked again, and its answer kept")
                .containsExactly(declineTerms);
    }
}
