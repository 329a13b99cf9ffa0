package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;

class LegacyCustomerDatabaseTest {

    @Test
    void aSearchIsAPrefixUnlessItHasAStarAndLikeWildcardsAreCharacters() {
        assertThat(LegacyCustomerDatabase.pattern("Legacy-9")).isEqualTo("legacy-9%");
        assertThat(LegacyCustomerDatabase.pattern("*@shop.example")).isEqualTo("%@shop.example");
        assertThat(LegacyCustomerDatabase.pattern("")).isEqualTo("%");
        assertThat(LegacyCustomerDatabase.pattern(null)).isEqualTo("%");
        assertThat(LegacyCustomerDatabase.pattern("a_b%c\\")).isEqualTo("a\\_b\\%c\\\\%");
        assertThat(LegacyCustomerDatabase.pattern("%' or 1=1 --")).isEqualTo("\\%' or 1=1 --%");
    }

    @Test
    void parametersInsideQuotedLiteralsAreNotBound() {
        assertThat(LegacyCustomerDatabase.placeholders("select * from c where a = ? and b like ?")).isEqualTo(2);
        assertThat(LegacyCustomerDatabase.placeholders("select * from c where a = '?' and b = ?")).isEqualTo(1);
    }

    @Test
    void onlyAnUnreachableDatabasePausesTheStoreNotAValueItRefuses() {
        assertThat(LegacyCustomerDatabase.unreachable(new java.sql.SQLException("refused", "08001"))).isTrue();
        assertThat(LegacyCustomerDatabase.unreachable(new java.sql.SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(LegacyCustomerDatabase.unreachable(new java.sql.SQLTimeoutException("slow"))).isTrue();
        assertThat(LegacyCustomerDatabase.unreachable(new java.sql.SQLException("acquisition timeout"))).isTrue();
        assertThat(LegacyCustomerDatabase.unreachable(new java.sql.SQLException("NUL byte", "22021"))).isFalse();
        assertThat(LegacyCustomerDatabase.unreachable(new java.sql.SQLException("Illegal mix of collations", "HY000")))
                .isFalse();
    }

    @Test
    void onlyAValueTheDatabaseCannotCompareReadsAsNobodyNotAStatementItCannotRun() {
        assertThat(LegacyCustomerDatabase.refusedValue(new java.sql.SQLException("NUL byte", "22021"))).isTrue();
        assertThat(LegacyCustomerDatabase.refusedValue(new java.sql.SQLException("too long", "22001"))).isTrue();
        assertThat(LegacyCustomerDatabase.refusedValue(new java.sql.SQLException("Illegal mix of collations", "HY000",
                1267))).isTrue();
        assertThat(LegacyCustomerDatabase.refusedValue(new java.sql.SQLException("no such table", "42P01"))).isFalse();
        assertThat(LegacyCustomerDatabase.refusedValue(new java.sql.SQLException("deadlock", "40P01"))).isFalse();
        assertThat(LegacyCustomerDatabase.refusedValue(new java.sql.SQLException("other", "HY000", 1205))).isFalse();
        assertThat(LegacyCustomerDatabase.refusedValue(new java.sql.SQLException("acquisition timeout"))).isFalse();
    }

    @Test
    void afterAFailureCallsFailAtOnceForThePauseThenTryAgain() {
        MutableClock clock = new MutableClock();
        Outage outage = new Outage(Duration.ofSeconds(10), clock);
        outage.check();
        outage.failed("connection refused");

        assertThatThrownBy(outage::check).isInstanceOf(LegacyStoreUnavailable.class)
                .hasMessageContaining("connection refused");
        clock.now = clock.now.plusSeconds(11);
        outage.check();
    }

    /**
     * A store saved while the server had its driver, on a server rebuilt without it (this test's classpath has no
     * MySQL driver): every lookup answers as when the database is down, naming the missing driver, instead of
     * failing the request that reached the store.
     */
    @Test
    void aStoreWhoseDriverTheServerLostAnswersEveryLookupAsUnavailable() throws Exception {
        ComponentModel model = new ComponentModel();
        model.put(LegacyStoreConfig.JDBC_URL, "jdbc:mysql://legacy:3306/shop");
        try (LegacyCustomerDatabase database = new LegacyCustomerDatabase(LegacyStoreConfig.of(model), "unused")) {
            List<ThrowingCallable> lookups = List.of(() -> database.byEmail("a@shop.example"),
                    () -> database.byUsername("a"), () -> database.search("a", 0, 10), () -> database.count("a"));
            for (ThrowingCallable lookup : lookups) {
                assertThatThrownBy(lookup).isInstanceOf(LegacyStoreUnavailable.class)
                        .hasMessageContaining("no JDBC driver for mysql (com.mysql.cj.jdbc.Driver)");
            }
        }
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-30T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
