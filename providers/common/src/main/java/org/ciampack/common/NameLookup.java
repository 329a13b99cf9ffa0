package org.ciampack.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Name lookups with a time limit, for hosts an admin typed. The JDK's resolver cannot be interrupted and waits as long
 * as the system's does (tens of seconds for a name whose DNS servers do not answer), which would hold the caller, an
 * export send or a sign-in, past every deadline it has. Here the lookup runs on a small pool of its own and the caller
 * stops waiting at the limit. A lookup still running keeps its thread until the system gives up, so a pool full of
 * them refuses further lookups at once instead of queueing callers behind them; quick lookups (the JDK caches answers
 * for 30 s) hand their thread back in microseconds.
 */
public final class NameLookup {

    /** The server's lookups. */
    public static final NameLookup SYSTEM = new NameLookup(InetAddress::getAllByName, 32);

    /** What resolves a name, as {@link InetAddress#getAllByName(String)} does. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;
    private final ThreadPoolExecutor lookups;

    NameLookup(Resolver resolver, int threads) {
        this.resolver = resolver;
        this.lookups = new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "ciam-name-lookup");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The host's addresses, or {@link UnknownHostException} when it has none, or none within the limit. */
    public InetAddress[] resolve(String host, Duration limit) throws UnknownHostException {
        Future<InetAddress[]> lookup;
        try {
            lookup = lookups.submit(() -> resolver.resolve(host));
        } catch (RejectedExecutionException e) {
            throw new UnknownHostException(host + ": not looked up, " + lookups.getMaximumPoolSize()
                    + " lookups of slow names are still running");
        }
        try {
            return lookup.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new UnknownHostException(host + ": no answer from DNS within " + limit.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            UnknownHostException unknown = new UnknownHostException(host + ": " + e.getCause());
            unknown.initCause(e.getCause());
            throw unknown;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lookup.cancel(true);
            throw new UnknownHostException(host + ": interrupted while looking it up");
        }
    }
}
