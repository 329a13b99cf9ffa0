package org.ciampack.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.cluster.ExecutionResult;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;

/**
 * What a module keeps about users that Keycloak removed in bulk, which sends neither event {@link UserDeletions}
 * hears: a store's "Remove imported users" (bulk statements on the local copies) and a user storage removed from the
 * realm (its users' ids name it: {@code f:<store id>:...}; the local copies it linked are bulk-deleted too).
 * <p>
 * Every interval, a sweep looks for the module's rows under ids no user has (a local id whose user row is gone, or
 * the id of a store no longer in its realm), a batch per table. It cleans them up a grace period later (the
 * interval, at most ten minutes), each with the module's own deletion clean-up in a transaction of its own, if the
 * user is still not there: a registration makes some rows (a customer's consent standing) in transactions of their
 * own before its user commits, and its user has committed, or never will, by then. A full batch is followed by the
 * next one right after its clean-up, so a large removal is worked off batch by batch. Sweeps run on a thread of
 * their own, one node of a cluster at a time; nodes find the same orphans, and the one that cleans up second finds
 * no rows left and neither cleans nor counts them again.
 */
public final class OrphanSweep {

    private static final Logger LOG = Logger.getLogger(OrphanSweep.class);
    /** Ids taken per table and sweep; a full batch is followed by the next one after its grace period. */
    static final int BATCH = 2_000;
    /** Keycloak's default transaction timeout: no registration's transaction lasts longer. */
    private static final Duration REGISTRATION_AT_MOST = Duration.ofMinutes(5);
    private static final Duration LONGEST_GRACE = Duration.ofMinutes(10);
    /** The module factory's option, in seconds; 0 turns its sweep off. */
    private static final String INTERVAL_OPTION = "orphan-sweep-seconds";
    private static final Duration DEFAULT_INTERVAL = Duration.ofHours(6);
    /** Keycloak's transient users (an identity provider's, not stored) have no user row and are not orphans. */
    private static final String TRANSIENT_USERS = "lightweight-";
    private static final Meter.MeterProvider<Counter> CLEANED = Counter.builder("ciam.orphans.cleaned")
            .description("Users removed in bulk whose data a module's sweep cleaned up")
            .withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Counter> SWEEPS = Counter.builder("ciam.orphans.sweeps")
            .description("Orphan sweeps run on this node, by outcome").withRegistry(Metrics.globalRegistry);

    /** A module's table: its JPQL entity, with {@code realmId} and {@code userId}. */
    public record Table(String entity) {
    }

    private record Orphan(String realmId, String userId) {
    }

    private final KeycloakSessionFactory factory;
    private final String module;
    private final Duration interval;
    private final Duration grace;
    private final List<Table> tables;
    private final UserDeletions.Cleanup cleanup;
    private final ScheduledExecutorService thread;
    private Set<Orphan> found = Set.of();

    private OrphanSweep(KeycloakSessionFactory factory, String module, Duration interval, List<Table> tables,
                        UserDeletions.Cleanup cleanup) {
        this.factory = factory;
        this.module = module;
        this.interval = interval;
        this.grace = interval.compareTo(LONGEST_GRACE) < 0 ? interval : LONGEST_GRACE;
        this.tables = tables;
        this.cleanup = cleanup;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread daemon = new Thread(task, "ciam-orphans-" + module);
            daemon.setDaemon(true);
            return daemon;
        });
    }

    /** A module factory's sweep interval: its {@code orphan-sweep-seconds} option, six hours by default. */
    public static Duration interval(Config.Scope config) {
        return Duration.ofSeconds(config.getLong(INTERVAL_OPTION, DEFAULT_INTERVAL.toSeconds()));
    }

    /**
     * Sweeps {@code tables} every {@code interval} once Keycloak's database is migrated, cleaning up with
     * {@code cleanup} (the module's {@link UserDeletions} clean-up); a zero interval sweeps never. The factory
     * {@link #stop}s it when it closes; null when it never runs.
     */
    public static OrphanSweep schedule(KeycloakSessionFactory factory, String module, Duration interval,
                                       List<Table> tables, UserDeletions.Cleanup cleanup) {
        if (interval.isZero() || interval.isNegative()) {
            return null;
        }
        if (interval.compareTo(REGISTRATION_AT_MOST) < 0) {
            LOG.warnf("The %s orphan sweep runs every %d s: a registration whose transaction lasts longer may lose "
                    + "its first rows (keep it over Keycloak's transaction timeout, %d s by default)", module,
                    interval.toSeconds(), REGISTRATION_AT_MOST.toSeconds());
        }
        OrphanSweep sweep = new OrphanSweep(factory, module, interval, tables, cleanup);
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                sweep.thread.schedule(sweep::run, sweep.grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
        return sweep;
    }

    public static void stop(OrphanSweep sweep) {
        if (sweep != null) {
            sweep.thread.shutdownNow();
        }
    }

    /** Cleans up what the last sweep found, then sweeps again: at once after a full batch, else after the interval. */
    private void run() {
        boolean more = false;
        try {
            ExecutionResult<Boolean> sweep = KeycloakModelUtils.runJobInTransactionWithResult(factory, session ->
                    session.getProvider(ClusterProvider.class).executeIfNotExecuted("ciam-orphans-" + module,
                            (int) Math.max(1, grace.toSeconds()), () -> {
                                cleanUp(found);
                                found = find();
                                return found.size() >= BATCH;
                            }));
            more = Boolean.TRUE.equals(sweep.getResult()) || !found.isEmpty();
            SWEEPS.withTags("module", module, "outcome", sweep.isExecuted() ? "done" : "skipped").increment();
        } catch (Throwable e) { // the thread must live on: the next sweep tries again
            SWEEPS.withTags("module", module, "outcome", "failed").increment();
            LOG.warnf(e, "Orphan sweep of %s failed; the next one tries again", module);
        } finally {
            if (!thread.isShutdown()) {
                thread.schedule(this::run, (more ? grace : interval).toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void cleanUp(Set<Orphan> orphans) {
        int cleaned = 0;
        for (Orphan orphan : orphans) {
            try {
                if (clean(orphan)) {
                    cleaned++;
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "Orphan sweep of %s: user %s of realm %s not cleaned up; a later sweep tries again",
                        module, orphan.userId(), orphan.realmId());
            }
        }
        if (cleaned > 0) {
            CLEANED.withTags("module", module).increment(cleaned);
            LOG.infof("Orphan sweep of %s: cleaned up after %d users that Keycloak removed in bulk", module, cleaned);
        }
    }

    private boolean clean(Orphan orphan) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            RealmModel realm = session.realms().getRealm(orphan.realmId());
            if (realm == null || session.users().getUserById(realm, orphan.userId()) != null) {
                return false; // the realm's removal takes its rows; a user who committed meanwhile keeps theirs
            }
            if (!holdsRows(session, orphan)) {
                return false; // another node's sweep, which found them too, cleaned up first
            }
            cleanup.userDeleted(session, realm, orphan.userId());
            return true;
        });
    }

    private boolean holdsRows(KeycloakSession session, Orphan orphan) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        // A locking read: a cleaner of another node that overlaps this one waits, then finds nothing to count.
        return tables.stream().anyMatch(table -> !em.createQuery("select e from " + table.entity() + " e "
                        + "where e.realmId = :realmId and e.userId = :userId", Object.class)
                .setParameter("realmId", orphan.realmId()).setParameter("userId", orphan.userId())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setMaxResults(1).getResultList().isEmpty());
    }

    /** Ids in the tables that no local user has, and ids of stores no longer in their realm: a batch per table. */
    private Set<Orphan> find() {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
            Set<Orphan> orphans = new LinkedHashSet<>();
            for (Table table : tables) {
                String from = " from " + table.entity() + " e where ";
                em.createQuery("select distinct e.realmId, e.userId" + from + "e.userId not like 'f:%' "
                                + "and e.userId not like '" + TRANSIENT_USERS + "%' "
                                + "and not exists (select u.id from UserEntity u where u.id = e.userId) "
                                + "order by e.realmId, e.userId", Object[].class)
                        .setMaxResults(BATCH).getResultStream()
                        .forEach(row -> orphans.add(new Orphan((String) row[0], (String) row[1])));
                for (Object[] store : em.createQuery("select distinct e.realmId, "
                        + "substring(e.userId, 3, locate(':', e.userId, 3) - 3)" + from + "e.userId like 'f:%:%'",
                        Object[].class).getResultList()) {
                    RealmModel realm = session.realms().getRealm((String) store[0]);
                    if (realm == null || realm.getComponent((String) store[1]) != null) {
                        continue;
                    }
                    em.createQuery("select distinct e.userId" + from + "e.realmId = :realmId "
                                    + "and e.userId like :prefix escape '!' order by e.userId", String.class)
                            .setParameter("realmId", realm.getId())
                            .setParameter("prefix", "f:" + likeLiteral((String) store[1]) + ":%")
                            .setMaxResults(BATCH).getResultStream()
                            .forEach(userId -> orphans.add(new Orphan(realm.getId(), userId)));
                }
            }
            return orphans;
        });
    }

    private static String likeLiteral(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
