package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ciampack.common.AddressPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        try (LegacyCustomerDatabase database = new LegacyCustomerDatabase(LegacyStoreConfig.of(model), "unused",
                new DatabaseDestinations(AddressPolicy.DEFAULT), "acme")) {
            for (ThrowingCallable lookup : everyLookup(database)) {
                assertThatThrownBy(lookup).isInstanceOf(LegacyStoreUnavailable.class)
                        .hasMessageContaining("no JDBC driver for mysql (com.mysql.cj.jdbc.Driver)");
            }
        }
    }

    /** Each kind of question the store asks its database. */
    private static List<ThrowingCallable> everyLookup(LegacyCustomerDatabase database) {
        return List.of(() -> database.byEmail("a@shop.example"), () -> database.byUsername("a"),
                () -> database.search("a", 0, 10), () -> database.count("a"));
    }

    /**
     * A store aimed at an address the server does not connect to (here its own loopback, which the operator did not
     * allow), as one saved before the operator narrowed the ranges or a name that resolves elsewhere later is: every
     * lookup is refused before any connection is tried, naming the option that would allow it.
     */
    @Test
    void aHostTheServerMayNotConnectToIsRefusedBeforeAnyConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5,
                InetAddress.getByName("127.0.0.1"))) {
            listener.setSoTimeout(500);
            ComponentModel model = new ComponentModel();
            model.put(LegacyStoreConfig.JDBC_URL, "jdbc:postgresql://127.0.0.1:" + listener.getLocalPort() + "/shop");
            try (LegacyCustomerDatabase database = new LegacyCustomerDatabase(LegacyStoreConfig.of(model), "secret",
                    new DatabaseDestinations(AddressPolicy.DEFAULT), "acme")) {
                for (ThrowingCallable lookup : everyLookup(database)) {
                    assertThatThrownBy(lookup).isInstanceOf(LegacyStoreUnavailable.class)
                            .hasMessageContaining("host 127.0.0.1 is not one this server connects to")
                            .hasMessageContaining("spi-storage--ciam-legacy-jdbc--allowed-destinations");
                }
            }
            assertThatThrownBy(listener::accept).as("nothing connected")
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    /**
     * A host whose DNS servers do not answer within the store's timeout: the sign-in's lookup is refused as when the
     * database is down, rather than waiting for the system's resolver (tens of seconds), as the driver's own lookup of
     * the name, which has no limit, would; but the store does not pause for everyone after one lost answer, and the
     * next lookup asks DNS again. The name is looked up as one of the realm's.
     */
    @Test
    void aHostWhoseNameHasNoAnswerWithinTheTimeoutRefusesTheLookupWithoutPausingTheStore() throws Exception {
        ComponentModel model = new ComponentModel();
        model.put(LegacyStoreConfig.JDBC_URL, "jdbc:postgresql://slow-dns.example:5432/shop");
        model.put(LegacyStoreConfig.TIMEOUT_SECONDS, "3");
        model.put(LegacyStoreConfig.OUTAGE_PAUSE_SECONDS, "600");
        List<String> lookups = new CopyOnWriteArrayList<>();
        DatabaseDestinations silentDns = new DatabaseDestinations(AddressPolicy.DEFAULT, (host, owner, limit) -> {
            lookups.add(host + " as " + owner + " within " + limit.toSeconds() + " s");
            throw new UnknownHostException(host + ": no answer from DNS within " + limit.toMillis() + " ms");
        });
        try (LegacyCustomerDatabase database = new LegacyCustomerDatabase(LegacyStoreConfig.of(model), "secret",
                silentDns, "acme")) {
            for (ThrowingCallable lookup : everyLookup(database)) {
                assertThatThrownBy(lookup).isInstanceOf(LegacyStoreUnavailable.class)
                        .hasMessage("legacy customer database host not looked up: slow-dns.example: no answer from "
                                + "DNS within 3000 ms");
            }
        }
        assertThat(lookups).as("asked again each time: no pause").hasSize(4)
                .containsOnly("slow-dns.example as acme within 3 s");
    }

    /**
     * A PostgreSQL store whose name answered a moment ago and then does not: the lookup goes on with the last good
     * answer (its connection is checked on its socket anyway), while a name just refused gets no such grace. The
     * "database" here is a socket that takes each connection and closes it, which counts the connections tried.
     */
    @Test
    void aCheckedSocketStoreRidesOutALostDnsAnswerButNotARefusal() throws Exception {
        try (ServerSocket database = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!database.isClosed()) {
                    try (Socket connection = database.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            List<String> answers = new CopyOnWriteArrayList<>(List.of("127.0.0.1", "none", "10.0.0.9", "none"));
            DatabaseDestinations flakyDns = new DatabaseDestinations(AddressPolicy.allowing(List.of("127.0.0.1/32")),
                    (host, owner, limit) -> {
                        String answer = answers.remove(0);
                        if (answer.equals("none")) {
                            throw new UnknownHostException(host + ": no answer from DNS within " + limit.toMillis()
                                    + " ms");
                        }
                        return new InetAddress[] {InetAddress.getByName(answer)};
                    });
            ComponentModel model = new ComponentModel();
            // an address, which the driver needs no DNS for; this store's lookups of it answer as the list says
            model.put(LegacyStoreConfig.JDBC_URL, "jdbc:postgresql://127.0.0.1:" + database.getLocalPort() + "/shop");
            model.put(LegacyStoreConfig.OUTAGE_PAUSE_SECONDS, "0");
            CheckedSocketFactory.policy(AddressPolicy.allowing(List.of("127.0.0.1/32"))); // the server's option
            try (LegacyCustomerDatabase store = new LegacyCustomerDatabase(LegacyStoreConfig.of(model), "secret",
                    flakyDns, "acme")) {
                // the good answer: the driver connects (and fails, this is no PostgreSQL)
                assertThatThrownBy(() -> store.byEmail("a@shop.example")).hasMessageContaining("failed");
                int afterGoodAnswer = settled(connections);
                // no answer a moment later: the good one stands, the driver connects again
                assertThatThrownBy(() -> store.byEmail("a@shop.example")).hasMessageContaining("failed");
                int inGrace = settled(connections);
                // an address the server does not connect to: refused, and the grace ends with it
                assertThatThrownBy(() -> store.byEmail("a@shop.example")).hasMessageContaining("not one this server");
                assertThatThrownBy(() -> store.byEmail("a@shop.example"))
                        .hasMessageContaining("host not looked up: 127.0.0.1: no answer from DNS");
                assertThat(afterGoodAnswer).as("connections tried after the good answer").isPositive();
                assertThat(inGrace).as("and in its grace").isGreaterThan(afterGoodAnswer);
                assertThat(settled(connections)).as("none after the refusal").isEqualTo(inGrace);
            } finally {
                CheckedSocketFactory.policy(AddressPolicy.DEFAULT);
            }
            assertThat(answers).as("every lookup asked DNS").isEmpty();
        }
    }

    /** The count once it stops moving for 200 ms: the acceptor counts a connection just after the driver made it. */
    private static int settled(AtomicInteger count) throws InterruptedException {
        int seen;
        do {
            seen = count.get();
            Thread.sleep(200);
        } while (count.get() != seen);
        return seen;
    }

    /**
     * A lookup that finds every connection busy (a flood of names, one slow statement) is refused on its own: the
     * store does not pause, so the next lookup waits for a connection again and, once one is free, is answered (a
     * real H2 database, whose statement waits while the test holds it).
     */
    @Test
    void aBusyPoolRefusesALookupWithoutPausingTheStoreForEveryone(@TempDir Path folder) throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("shop");
        try (Connection setup = DriverManager.getConnection(url)) {
            setup.createStatement().execute("create table customers (username varchar(255), email varchar(255), "
                    + "first_name varchar(255), last_name varchar(255), password_hash varchar(255))");
            setup.createStatement().execute("insert into customers values "
                    + "('slow', 'slow@shop.example', 'S', 'L', 'x'), ('ann', 'ann@shop.example', 'A', 'N', 'x')");
            setup.createStatement().execute("create alias HELD_WHILE for \""
                    + ShopFunctions.class.getName() + ".heldWhile\"");
        }
        ComponentModel model = new ComponentModel();
        model.put(LegacyStoreConfig.JDBC_URL, url);
        model.put(LegacyStoreConfig.POOL_SIZE, "1");
        model.put(LegacyStoreConfig.TIMEOUT_SECONDS, "1");
        model.put(LegacyStoreConfig.OUTAGE_PAUSE_SECONDS, "600");
        model.put(LegacyStoreConfig.BY_EMAIL_SQL, "select * from customers where email = ? and HELD_WHILE(?)");
        HELD.set(new CountDownLatch(1));
        try (LegacyCustomerDatabase database = new LegacyCustomerDatabase(LegacyStoreConfig.of(model), "",
                new DatabaseDestinations(AddressPolicy.DEFAULT), "acme")) {
            CompletableFuture<Optional<LegacyCustomer>> slow =
                    CompletableFuture.supplyAsync(() -> database.byEmail("slow@shop.example"));
            if (!STARTED.tryAcquire(10, TimeUnit.SECONDS)) {
                slow.get(1, TimeUnit.SECONDS); // its failure, if it failed
                throw new AssertionError("the slow lookup never reached the database");
            }

            assertThatThrownBy(() -> database.byEmail("ann@shop.example")).isInstanceOf(LegacyStoreUnavailable.class)
                    .hasMessageContaining("busy");
            // no pause began: the next lookup waits for a connection again instead of failing at once
            assertThatThrownBy(() -> database.byUsername("ann")).isInstanceOf(LegacyStoreUnavailable.class)
                    .hasMessageContaining("busy").hasMessageNotContaining("since a failure");

            HELD.get().countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).map(LegacyCustomer::username).contains("slow");
            assertThat(database.byEmail("ann@shop.example")).map(LegacyCustomer::username).contains("ann");
        }
    }

    private static final AtomicReference<CountDownLatch> HELD = new AtomicReference<>(new CountDownLatch(0));
    private static final Semaphore STARTED = new Semaphore(0);

    /** The database function of the busy-pool test (public, for H2): holds a "slow" value until the test lets go. */
    public static final class ShopFunctions {
        public static boolean heldWhile(String value) throws InterruptedException {
            if (value.startsWith("slow")) {
                STARTED.release();
                HELD.get().await(10, TimeUnit.SECONDS);
            }
            return true;
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
