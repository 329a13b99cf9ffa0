package org.ciampack.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Name lookups with a time limit, for hosts a realm admin typed. The JDK's resolver cannot be interrupted and waits
 * as long as the system's does (tens of seconds for a name whose DNS servers do not answer), which would hold the
 * caller, an export send, past every deadline it has. Here a lookup runs on a thread of its own and the caller stops
 * waiting at the limit; the lookup goes on until the system gives up, and its answer lands in the JDK's cache.
 *
 * <p>Slow names must not become one realm's way to stall another's lookups: callers of a name already being looked
 * up wait on that lookup (no thread more), and each owner (a realm) has at most {@value #PER_OWNER} lookups running
 * at once ({@value #ALL} on the node in all); past that its further lookups wait up to {@value #QUICK_MILLIS} ms for
 * one to end and are refused then, other owners' not. Quick lookups (most, as the JDK caches answers for 30 s) hand
 * their thread back in microseconds, so only slow names fill a share. Address literals need no DNS and are read in
 * place.
 */
public final class NameLookup {

    static final int PER_OWNER = 4;
    /** Lookups running on the node, whatever their owners (a DNS outage with many realms). */
    static final int ALL = 64;
    /** How long a caller over its share waits for a lookup to end before it is refused: quick ones end by then. */
    static final long QUICK_MILLIS = 200;

    /** The server's lookups. */
    public static final NameLookup SYSTEM = new NameLookup(InetAddress::getAllByName);

    /** What resolves a name, as {@link InetAddress#getAllByName(String)} does. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * An IPv4 address in plain dotted-quad form (no leading zeros, which the JDK may take for a name to look up); an
     * IPv6 one starts as the JDK needs to read it as an address (a bracket, a colon or a hex digit).
     */
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV6_START = Pattern.compile("[\\[:0-9a-fA-F]");
    private static final Pattern IPV4 = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Resolver resolver;
    /** Running lookups by name; also the lock under which they start and end, with the counts below. */
    private final ConcurrentHashMap<String, CompletableFuture<InetAddress[]>> inFlight = new ConcurrentHashMap<>();
    /** Running lookups by owner; an owner with none has no entry. */
    private final Map<String, Integer> perOwner = new HashMap<>();
    private int all;
    /** Unbounded, as the owners' caps bound it; a thread left idle for 60 s ends. */
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        // No inherited thread-locals or context class loader of the request that started it.
        Thread thread = new Thread(null, task, "ciam-name-lookup-" + THREADS.incrementAndGet(), 0, false);
        thread.setContextClassLoader(NameLookup.class.getClassLoader());
        thread.setDaemon(true);
        return thread;
    });

    NameLookup(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * The host's addresses; {@link UnknownHostException} when it has none, none within the limit, or {@code owner}
     * has {@value #PER_OWNER} lookups of other names still running.
     */
    public InetAddress[] resolve(String host, String owner, Duration limit) throws UnknownHostException {
        if (host.indexOf(':') >= 0) {
            if (!IPV6_START.matcher(host).lookingAt()) {
                // The JDK would hand such a host to the system's resolver: no name has a colon.
                throw new UnknownHostException(host + ": not a host name");
            }
            return resolver.resolve(host); // an IPv6 address, read without DNS
        }
        if (IPV4.matcher(host).matches()) {
            return resolver.resolve(host); // an IPv4 address, read without DNS
        }
        String name = host.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
        CompletableFuture<InetAddress[]> lookup = inFlight.get(name);
        if (lookup == null) {
            lookup = start(name, owner);
        }
        try {
            return lookup.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new UnknownHostException(host + ": no answer from DNS within " + limit.toMillis() + " ms");
        } catch (ExecutionException e) {
            // A new exception for each caller: the lookup's own belongs to its thread.
            UnknownHostException unknown = new UnknownHostException(e.getCause() instanceof UnknownHostException
                    ? e.getCause().getMessage() : host + ": " + e.getCause());
            unknown.initCause(e.getCause());
            throw unknown;
        } catch (CancellationException e) {
            throw new UnknownHostException(host + ": lookup cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnknownHostException(host + ": interrupted while looking it up");
        }
    }

    /**
     * The lookup of the name already running, which the caller joins without counting, or a new one counted for
     * {@code owner}; a refusal when the owner's or the node's count is full. Counts and running lookups change
     * together under the lock, so a caller is refused only by lookups of other names that still run.
     */
    private CompletableFuture<InetAddress[]> start(String host, String owner) throws UnknownHostException {
        CompletableFuture<InetAddress[]> created = new CompletableFuture<>();
        synchronized (inFlight) {
            long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUICK_MILLIS);
            while (true) {
                CompletableFuture<InetAddress[]> running = inFlight.get(host);
                if (running != null) {
                    return running;
                }
                int mine = perOwner.getOrDefault(owner, 0);
                if (mine < PER_OWNER && all < ALL) {
                    perOwner.put(owner, mine + 1);
                    all++;
                    inFlight.put(host, created);
                    break;
                }
                // Lookups answered from the JDK's cache end within microseconds: only slow ones hold the share.
                long left = waitUntil - System.nanoTime();
                if (left <= 0) {
                    throw new UnknownHostException(host + ": not looked up, " + (mine >= PER_OWNER
                            ? PER_OWNER + " lookups of slow names of " + owner : ALL + " lookups of slow names")
                            + " are still running");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(inFlight, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UnknownHostException(host + ": interrupted while waiting to look it up");
                }
            }
        }
        Runnable ended = () -> {
            synchronized (inFlight) {
                inFlight.remove(host, created);
                perOwner.computeIfPresent(owner, (key, count) -> count > 1 ? count - 1 : null); // none: no entry
                all--;
                inFlight.notifyAll(); // callers waiting for a share
            }
        };
        try {
            threads.execute(() -> {
                try {
                    created.complete(resolver.resolve(host));
                } catch (Throwable t) {
                    created.completeExceptionally(t);
                } finally {
                    ended.run();
                }
            });
        } catch (RuntimeException | Error e) { // no thread to be had: nothing may stay in flight
            created.completeExceptionally(e);
            ended.run();
            UnknownHostException unknown = new UnknownHostException(host + ": not looked up, no thread for it");
            unknown.initCause(e);
            throw unknown;
        }
        return created;
    }

    /** How many lookups {@code owner} has running (for tests). */
    int running(String owner) {
        synchronized (inFlight) {
            return perOwner.getOrDefault(owner, 0);
        }
    }
}
