package org.ciampack.risk.stepup;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.keycloak.models.SingleUseObjectProvider;

class SlotsTest {

    private final ConcurrentHashMap<String, Long> entries = new ConcurrentHashMap<>();
    /** Keycloak's single-use store as far as the slots use it: an atomic put-if-absent, and remove. */
    private final SingleUseObjectProvider store = (SingleUseObjectProvider) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {SingleUseObjectProvider.class}, (proxy, method, args) -> {
                if (method.getName().equals("remove")) {
                    entries.remove((String) args[0]);
                    return null; // the removed entry's notes, which nobody here reads
                }
                if (!method.getName().equals("putIfAbsent")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                return entries.putIfAbsent((String) args[0], (Long) args[1]) == null;
            });

    @Test
    void aCodeGetsItsTriesOneAfterTheOtherThenNone() {
        assertThat(Slots.take(store, "try.code-1", 3, 360)).hasValue(1);
        assertThat(Slots.take(store, "try.code-1", 3, 360)).hasValue(2);
        assertThat(Slots.take(store, "try.code-1", 3, 360)).hasValue(3);
        assertThat(Slots.take(store, "try.code-1", 3, 360)).isEmpty();
        assertThat(Slots.take(store, "try.code-2", 3, 360)).as("a new code has tries of its own").hasValue(1);
    }

    @Test
    void guessesAtTheSameTimeShareTheCodesTriesAndEachTryIsTakenOnce() throws Exception {
        ExecutorService guessers = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch ready = new CountDownLatch(16);
            List<Future<OptionalInt>> tries = new ArrayList<>();
            for (int guess = 0; guess < 16; guess++) {
                tries.add(guessers.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return Slots.take(store, "try.code-3", 5, 360);
                }));
            }
            List<Integer> taken = new ArrayList<>();
            for (Future<OptionalInt> attempt : tries) {
                attempt.get(10, TimeUnit.SECONDS).ifPresent(taken::add);
            }
            assertThat(taken).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        } finally {
            guessers.shutdownNow();
        }
    }

    @Test
    void aSlotGivenBackIsTakenAgain() {
        assertThat(Slots.take(store, "sign-in.a", 2, 360)).hasValue(1);
        assertThat(Slots.take(store, "sign-in.a", 2, 360)).hasValue(2);
        Slots.giveBack(store, "sign-in.a", 2);
        assertThat(Slots.take(store, "sign-in.a", 2, 360)).hasValue(2);
        assertThat(Slots.take(store, "sign-in.a", 2, 360)).isEmpty();
    }
}
