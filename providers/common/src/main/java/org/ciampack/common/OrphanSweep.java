package org.ciampack.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.timer.TimerProvider;

/**
 * What a module keeps about users that Keycloak removed in bulk, which sends neither event {@link UserDeletions}
 * hears: a store's "Remove imported users" (bulk statements on the local copies) and a user storage removed from the
 * realm (its users' ids name it: {@code f:<store id>:...}; the local copies it linked are bulk-deleted too). A sweep
 * every interval (on one node of a cluster at a time) looks for the module's rows under ids no user has and runs the module's
 * deletion clean-up for each, in a transaction of its own, after checking once more that the user is not there.
 * <p>
 * An id is cleaned up only when this node's previous sweep, an interval or more before, found it too: a registration
 * makes some rows (a customer's consent standing, their notices) in transactions of their own before its user
 * commits, and those must not pass for orphans. Hence an interval longer than any registration's transaction
 * (Keycloak's transaction timeout, 300 s by default).
 */
public final class OrphanSweep {

    private static final Logger LOG = Logger.getLogger(OrphanSweep.class);
    /** Orphans taken per table and sweep; more wait for the next sweep. */
    private static final int BATCH = 500;
    /** Keycloak's default transaction timeout: no registration's transaction lasts longer. */
    private static final Duration REGISTRATION_AT_MOST = Duration.ofMinutes(5);
    private static final Meter.MeterProvider<Counter> CLEANED = Counter.builder("ciam.orphans.cleaned")
            .description("Users removed in bulk whose data a module's sweep cleaned up")
            .withRegistry(Metrics.globalRegistry);

    /** A module's table: its JPQL entity (with {@code realmId} and {@code userId}) and which of its rows count. */
    public record Table(String entity, String rowsThatCount) {

        public static Table of(String entity) {
            return new Table(entity, "");
        }
    }

    private record Orphan(String realmId, String userId) {
    }

    private final KeycloakSessionFactory factory;
    private final String module;
    private final List<Table> tables;
    private final UserDeletions.Cleanup cleanup;
    private final TwoSightings<Orphan> sightings = new TwoSightings<>();

    private OrphanSweep(KeycloakSessionFactory factory, String module, List<Table> tables,
                        UserDeletions.Cleanup cleanup) {
        this.factory = factory;
        this.module = module;
        this.tables = tables;
        this.cleanup = cleanup;
    }

    /**
     * Sweeps {@code tables} every {@code interval} once Keycloak's database is migrated, cleaning up with
     * {@code cleanup} (the module's {@link UserDeletions} clean-up); a zero interval sweeps never.
     */
    public static void schedule(KeycloakSessionFactory factory, String module, Duration interval, List<Table> tables,
                                UserDeletions.Cleanup cleanup) {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        if (interval.compareTo(REGISTRATION_AT_MOST) < 0) {
            LOG.warnf("The %s orphan sweep runs every %d s: a registration whose transaction lasts longer may lose "
                    + "its first rows (keep it over %d s)", module, interval.toSeconds(), REGISTRATION_AT_MOST.toSeconds());
        }
        OrphanSweep sweep = new OrphanSweep(factory, module, tables, cleanup);
        String task = "ciam-orphans-" + module;
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class)
                        .schedule(() -> sweep.runOnOneNode(task, interval), interval.toMillis(), task));
            }
        });
    }

    private void runOnOneNode(String task, Duration interval) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(ClusterProvider.class)
                    .executeIfNotExecuted(task, (int) Math.max(1, interval.toSeconds() - 1), () -> {
                        sweep(session);
                        return null;
                    }));
        } catch (RuntimeException e) { // the timer's thread must live on: the next sweep tries again
            LOG.warnf(e, "Sweep %s failed; the next one tries again", task);
        }
    }

    private void sweep(KeycloakSession session) {
        int cleaned = 0;
        for (Orphan orphan : sightings.confirmed(find(session))) {
            try {
                if (clean(orphan)) {
                    cleaned++;
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "Sweep of %s: user %s of realm %s not cleaned up; a later sweep tries again", module,
                        orphan.userId(), orphan.realmId());
            }
        }
        if (cleaned > 0) {
            CLEANED.withTags("module", module).increment(cleaned);
            LOG.infof("Sweep of %s: cleaned up after %d users that Keycloak removed in bulk", module, cleaned);
        }
    }

    private boolean clean(Orphan orphan) {
        boolean[] cleaned = {false};
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            RealmModel realm = session.realms().getRealm(orphan.realmId());
            if (realm != null && session.users().getUserById(realm, orphan.userId()) == null) {
                cleanup.userDeleted(session, realm, orphan.userId());
                cleaned[0] = true;
            }
        });
        return cleaned[0];
    }

    /** Ids in the tables that no local user has, and ids of stores no longer in their realm. */
    private Set<Orphan> find(KeycloakSession session) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        Set<Orphan> found = new HashSet<>();
        for (Table table : tables) {
            String from = " from " + table.entity() + " e where ";
            String counted = table.rowsThatCount().isEmpty() ? "" : " and (" + table.rowsThatCount() + ")";
            em.createQuery("select distinct e.realmId, e.userId" + from + "e.userId not like 'f:%'" + counted
                            + " and not exists (select u.id from UserEntity u where u.id = e.userId)", Object[].class)
                    .setMaxResults(BATCH).getResultStream()
                    .forEach(row -> found.add(new Orphan((String) row[0], (String) row[1])));
            List<Object[]> stores = em.createQuery("select distinct e.realmId, "
                            + "substring(e.userId, 3, locate(':', e.userId, 3) - 3)" + from + "e.userId like 'f:%:%'"
                            + counted, Object[].class).getResultList();
            for (Object[] store : stores) {
                RealmModel realm = session.realms().getRealm((String) store[0]);
                if (realm == null || realm.getComponent((String) store[1]) != null) {
                    continue;
                }
                em.createQuery("select distinct e.userId" + from + "e.realmId = :realmId and e.userId like :prefix "
                                + "escape '\\'" + counted, String.class)
                        .setParameter("realmId", realm.getId())
                        .setParameter("prefix", "f:" + likeLiteral((String) store[1]) + ":%")
                        .setMaxResults(BATCH).getResultStream()
                        .forEach(userId -> found.add(new Orphan(realm.getId(), userId)));
            }
        }
        return found;
    }

    /**
     * What two sweeps in a row found: taken by the second, which starts the count again for them (one whose clean-up
     * failed waits for two more); what the last sweep did not find is forgotten.
     */
    static final class TwoSightings<T> {

        private Set<T> before = Set.of();

        synchronized Set<T> confirmed(Set<T> found) {
            Set<T> twice = new LinkedHashSet<>(found);
            twice.retainAll(before);
            Set<T> once = new HashSet<>(found);
            once.removeAll(twice);
            before = once;
            return twice;
        }
    }

    private static String likeLiteral(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
