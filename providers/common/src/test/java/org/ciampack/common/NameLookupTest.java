package org.ciampack.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NameLookupTest {

    private static final InetAddress[] ADDRESS = {InetAddress.getLoopbackAddress()};
    private static final Duration SHORT = Duration.ofMillis(100);

    /** Names ending in ".slow" resolve only once released, as a name whose DNS servers do not answer. */
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<String> resolved = new CopyOnWriteArrayList<>();
    private final NameLookup lookup = new NameLookup(host -> {
        resolved.add(host);
        boolean waiting = host.endsWith(".slow");
        while (waiting) {
            try {
                released.await(30, TimeUnit.SECONDS);
                waiting = false;
            } catch (InterruptedException e) {
                // the JDK's resolver does not stop when interrupted: neither does this one
            }
        }
        if (host.endsWith(".invalid")) {
            throw new UnknownHostException(host);
        }
        return ADDRESS;
    });

    @AfterEach
    void release() {
        released.countDown();
    }

    @Test
    void aQuickNameResolvesAnUnknownOneSaysSoAndAnAddressNeedsNoLookup() throws UnknownHostException {
        assertThat(lookup.resolve("receiver.example", "acme", SHORT)).containsExactly(ADDRESS);
        assertThatThrownBy(() -> lookup.resolve("nothing.invalid", "acme", SHORT))
                .isInstanceOf(UnknownHostException.class).hasMessage("nothing.invalid");
        for (int i = 0; i < 2 * NameLookup.PER_OWNER; i++) {
            assertThatThrownBy(() -> lookup.resolve("x" + resolved.size() + ".slow", "acme", SHORT))
                    .isInstanceOf(UnknownHostException.class);
        }
        assertThat(lookup.resolve("192.0.2.7", "acme", SHORT)).as("an address, even with the owner's lookups full")
                .containsExactly(ADDRESS);
        assertThat(lookup.resolve("[2001:db8::7]", "acme", SHORT)).containsExactly(ADDRESS);
        assertThatThrownBy(() -> lookup.resolve("syslog.example:514", "acme", SHORT))
                .as("a colon in a name: never handed to the system's resolver").hasMessage("syslog.example:514: not a host name");
        for (String name : List.of("010.0.2.7", "192.0.2.7.nip.io", "256.1.1.1")) {
            assertThatThrownBy(() -> lookup.resolve(name, "acme", SHORT)).as(name + " may need DNS: a lookup")
                    .hasMessageContaining("lookups of slow names of acme are still running");
        }
    }

    @Test
    void theCallerStopsWaitingAtTheLimit() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> lookup.resolve("a.slow", "acme", Duration.ofMillis(200)))
                .isInstanceOf(UnknownHostException.class).hasMessage("a.slow: no answer from DNS within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void callersOfANameBeingLookedUpWaitOnThatOneLookup() throws InterruptedException {
        for (String name : List.of("same.slow", "same.slow", "SAME.slow", "same.slow.")) {
            assertThatThrownBy(() -> lookup.resolve(name, "acme", SHORT)).isInstanceOf(UnknownHostException.class);
        }
        assertThatThrownBy(() -> lookup.resolve("same.slow", "other", SHORT)).isInstanceOf(UnknownHostException.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (resolved.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // the lookup's thread may not have run yet on a loaded machine
        }
        assertThat(resolved).as("one lookup of the name, however many wait for it").containsExactly("same.slow");
    }

    @Test
    void anOwnerWhoseSlowLookupsFillItsShareIsRefusedAndNoOtherOwnerIs() throws Exception {
        for (int i = 1; i <= NameLookup.PER_OWNER; i++) {
            String host = "n" + i + ".slow";
            assertThatThrownBy(() -> lookup.resolve(host, "acme", SHORT)).isInstanceOf(UnknownHostException.class);
        }
        long started = System.nanoTime();
        assertThatThrownBy(() -> lookup.resolve("receiver.example", "acme", Duration.ofSeconds(5)))
                .isInstanceOf(UnknownHostException.class)
                .hasMessage("receiver.example: not looked up, 4 lookups of slow names of acme are still running");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused once quick lookups would have ended, not at the limit").isLessThan(Duration.ofSeconds(1));
        assertThat(lookup.resolve("receiver.example", "other", Duration.ofSeconds(5))).as("another realm's lookup")
                .containsExactly(ADDRESS);

        released.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        InetAddress[] again = null;
        while (again == null && System.nanoTime() < deadline) {
            try {
                again = lookup.resolve("receiver.example", "acme", Duration.ofSeconds(1));
            } catch (UnknownHostException stillRunning) {
                Thread.sleep(20);
            }
        }
        assertThat(again).as("the owner's lookups ended, so it may look up again").containsExactly(ADDRESS);
    }

    /**
     * Many callers of a realm's quick names at once (a legacy store's sign-ins, export routes): more names than the
     * owner's share, each answered at once; none is refused, as only slow lookups hold a share.
     */
    @Test
    void callersOfQuickNamesAtOnceAreNeverRefused() throws Exception {
        int threads = 16;
        int each = 2_000;
        List<Throwable> refused = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> callers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread caller = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        lookup.resolve("host-" + (i % (2 * NameLookup.PER_OWNER)) + ".example", "acme",
                                Duration.ofSeconds(5));
                    }
                } catch (Exception e) {
                    refused.add(e);
                }
            });
            caller.start();
            callers.add(caller);
        }
        start.countDown();
        for (Thread caller : callers) {
            caller.join(60_000);
        }
        assertThat(refused).isEmpty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lookup.running("acme") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // the last lookup's thread ends just after its answer
        }
        assertThat(lookup.running("acme")).as("nothing counted once every lookup ended").isZero();
    }
}
