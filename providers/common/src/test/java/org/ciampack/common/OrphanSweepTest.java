package org.ciampack.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OrphanSweepTest {

    private final OrphanSweep.TwoSightings<String> sightings = new OrphanSweep.TwoSightings<>();

    @Test
    void anIdIsTakenOnlyWhenTwoSweepsInARowFoundIt() {
        assertThat(sightings.confirmed(Set.of("a", "b"))).as("a first sighting waits").isEmpty();

        assertThat(sightings.confirmed(Set.of("b", "c"))).containsExactly("b");
        assertThat(sightings.confirmed(Set.of("c"))).containsExactly("c");
    }

    @Test
    void anIdTheLastSweepDidNotFindStartsAgain() {
        sightings.confirmed(Set.of("a")); // a registration's row, its user not committed yet
        sightings.confirmed(Set.of());   // committed: no longer an orphan

        assertThat(sightings.confirmed(Set.of("a"))).as("found again later: a first sighting").isEmpty();
        assertThat(sightings.confirmed(Set.of("a"))).containsExactly("a");
    }

    @Test
    void anIdTakenNeedsTwoMoreSightingsAgain() {
        sightings.confirmed(Set.of("a"));
        assertThat(sightings.confirmed(Set.of("a"))).containsExactly("a");

        assertThat(sightings.confirmed(Set.of("a"))).as("its clean-up failed: it waits").isEmpty();
        assertThat(sightings.confirmed(Set.of("a"))).containsExactly("a");
    }
}
