package org.ciampack.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NameLookupTest {

    private static final InetAddress[] ADDRESS = {InetAddress.getLoopbackAddress()};

    /** Names ending in ".slow" resolve only once released, as a DNS server that does not answer would. */
    private final CountDownLatch released = new CountDownLatch(1);
    private final NameLookup lookup = new NameLookup(host -> {
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
    }, 2);

    @Test
    void aQuickNameResolvesAndAnUnknownOneSaysSo() throws UnknownHostException {
        assertThat(lookup.resolve("receiver.example", Duration.ofSeconds(1))).containsExactly(ADDRESS);
        assertThatThrownBy(() -> lookup.resolve("nothing.invalid", Duration.ofSeconds(1)))
                .isInstanceOf(UnknownHostException.class).hasMessage("nothing.invalid");
    }

    @Test
    void theCallerStopsWaitingAtTheLimit() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> lookup.resolve("a.slow", Duration.ofMillis(200)))
                .isInstanceOf(UnknownHostException.class).hasMessage("a.slow: no answer from DNS within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        released.countDown();
    }

    @Test
    void slowLookupsThatFillThePoolRefuseTheNextAtOnceAndQuickOnesGoOnAfterwards() throws Exception {
        for (String host : new String[] {"a.slow", "b.slow"}) {
            assertThatThrownBy(() -> lookup.resolve(host, Duration.ofMillis(100))).isInstanceOf(UnknownHostException.class);
        }
        long started = System.nanoTime();
        assertThatThrownBy(() -> lookup.resolve("receiver.example", Duration.ofSeconds(5)))
                .isInstanceOf(UnknownHostException.class).hasMessageContaining("2 lookups of slow names are still running");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused without waiting").isLessThan(Duration.ofSeconds(1));

        released.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        InetAddress[] resolved = null;
        while (resolved == null && System.nanoTime() < deadline) {
            try {
                resolved = lookup.resolve("receiver.example", Duration.ofSeconds(1));
            } catch (UnknownHostException stillBusy) {
                Thread.sleep(20);
            }
        }
        assertThat(resolved).as("the pool's threads are free again").containsExactly(ADDRESS);
    }
}
