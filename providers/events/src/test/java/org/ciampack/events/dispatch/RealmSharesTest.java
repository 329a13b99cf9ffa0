package org.ciampack.events.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RealmSharesTest {

    @Test
    void aRealmHoldsAtMostHalfTheRouteThreadsAndTheOthersKeepTheirs() {
        RealmShares shares = new RealmShares(4, 16);
        assertThat(shares.startRound("noisy")).isTrue();
        assertThat(shares.startRound("noisy")).isTrue();
        assertThat(shares.startRound("noisy")).as("a third round of the same realm waits").isFalse();
        assertThat(shares.startRound("acme")).as("another realm's round starts").isTrue();
        shares.endRound("noisy");
        assertThat(shares.startRound("noisy")).as("a round ended frees its place").isTrue();
    }

    @Test
    void aRealmGetsAtMostHalfTheSendLanesAsManyAsAreFree() {
        RealmShares shares = new RealmShares(4, 16);
        assertThat(shares.takeLanes("noisy", 32)).isEqualTo(8);
        assertThat(shares.takeLanes("noisy", 4)).as("none left in the realm's share").isZero();
        assertThat(shares.takeLanes("acme", 4)).isEqualTo(4);
        shares.giveLanes("noisy", 8);
        assertThat(shares.takeLanes("noisy", 3)).isEqualTo(3);
        assertThat(shares.takeLanes("noisy", 10)).isEqualTo(5);
    }

    @Test
    void aSingleThreadedDispatcherStillRunsEveryRealm() {
        RealmShares shares = new RealmShares(1, 1);
        assertThat(shares.startRound("acme")).isTrue();
        assertThat(shares.takeLanes("acme", 4)).isEqualTo(1);
    }

    @Test
    void aNodeWhoseRoutesAreAllOneRealmsGivesItEveryThread() {
        RealmShares shares = new RealmShares(4, 16);
        shares.realmsWithRoutes(1);
        for (int round = 0; round < 4; round++) {
            assertThat(shares.startRound("acme")).isTrue();
        }
        assertThat(shares.startRound("acme")).isFalse();
        assertThat(shares.takeLanes("acme", 32)).isEqualTo(16);
        shares.realmsWithRoutes(2);
        shares.giveLanes("acme", 16);
        assertThat(shares.takeLanes("acme", 32)).as("halved once a second realm has routes").isEqualTo(8);
    }
}
