package org.ciampack.federation;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.StorageUnavailableException;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.SynchronizationResult;

/**
 * A bulk import of a legacy store ("Synchronize all users" in the admin console, or its periodic full sync): the
 * legacy customers a page at a time, each page in a transaction of its own, progress in the log. Customers imported
 * before are skipped, so a synchronization stopped halfway (an outage, a restart) is resumed by running it again.
 * Passwords are not read here unless the store imports hashes: they move at each customer's first login.
 * <p>
 * It runs on a thread of its own: the request that starts it holds a transaction Keycloak's transaction manager
 * cancels after five minutes, which a hundred thousand customers outlast. The caller gets the result when the import
 * ends within the store's answer time, else the figures so far while it goes on (the log says when it is done).
 */
final class LegacySynchronization {

    static final int PAGE = 500;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(LegacySynchronization.class);

    private final LegacyStoreProviderFactory stores;
    private final KeycloakSessionFactory sessions;
    private final String realmId;
    private final UserStorageProviderModel model;
    private final SynchronizationResult total = new SynchronizationResult();
    private final CompletableFuture<SynchronizationResult> done = new CompletableFuture<>();

    private LegacySynchronization(LegacyStoreProviderFactory stores, KeycloakSessionFactory sessions, String realmId,
                                  UserStorageProviderModel model) {
        this.stores = stores;
        this.sessions = sessions;
        this.realmId = realmId;
        this.model = model;
    }

    /** Starts a synchronization of the store on {@code threads}. */
    static LegacySynchronization start(LegacyStoreProviderFactory stores, KeycloakSessionFactory sessions,
                                       String realmId, UserStorageProviderModel model, Executor threads) {
        LegacySynchronization synchronization = new LegacySynchronization(stores, sessions, realmId, model);
        threads.execute(() -> {
            try {
                synchronization.done.complete(synchronization.run());
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "Legacy store %s: synchronization failed", model.getName());
                synchronization.done.completeExceptionally(e);
            }
        });
        return synchronization;
    }

    boolean isDone() {
        return done.isDone();
    }

    /** The result if the import ends within {@code wait}, else the figures so far (it goes on). */
    SynchronizationResult await(Duration wait) {
        try {
            return done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.infof("Legacy store %s: synchronization goes on in the background (%s so far); the log says when it "
                    + "is done", model.getName(), soFar().getStatus());
            return soFar();
        } catch (ExecutionException e) {
            SynchronizationResult failed = soFar();
            failed.increaseFailed();
            return failed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return soFar();
        }
    }

    private SynchronizationResult soFar() {
        SynchronizationResult copy = new SynchronizationResult();
        synchronized (total) {
            copy.add(total);
        }
        return copy;
    }

    private SynchronizationResult run() {
        long started = System.nanoTime();
        long reported = started;
        int read = 0;
        LOG.infof("Legacy store %s: synchronization started", model.getName());
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                return stopped(read, new IllegalStateException("the server is stopping"));
            }
            SynchronizationResult page = null;
            int rows = -1;
            for (int attempt = 1; rows < 0; attempt++) {
                page = new SynchronizationResult();
                try {
                    rows = page(read, page);
                } catch (LegacyStoreUnavailable | StorageUnavailableException e) {
                    return stopped(read, e);
                } catch (RuntimeException e) {
                    if (attempt == 2) {
                        return stopped(read, e);
                    }
                    // e.g. a customer imported by their own login meanwhile: once more, the page finds them imported
                    LOG.debugf(e, "Legacy store %s: the page at %d failed; once more", model.getName(), read);
                }
            }
            synchronized (total) {
                total.add(page);
            }
            read += rows;
            long now = System.nanoTime();
            if (rows < PAGE) {
                LOG.infof("Legacy store %s: synchronization done: %d legacy customers read, %s, in %d s",
                        model.getName(), read, total.getStatus(), Duration.ofNanos(now - started).toSeconds());
                return soFar();
            }
            if (Duration.ofNanos(now - reported).compareTo(PROGRESS_EVERY) >= 0) {
                reported = now;
                LOG.infof("Legacy store %s: synchronization at %d legacy customers, %s, %.0f per second",
                        model.getName(), read, total.getStatus(),
                        read / (Duration.ofNanos(now - started).toMillis() / 1000.0));
            }
        }
    }

    private SynchronizationResult stopped(int read, RuntimeException e) {
        LOG.warnf("Legacy store %s: synchronization stopped after %d customers (%s); run it again to go on: the "
                + "customers imported so far are skipped", model.getName(), read, e.getMessage());
        synchronized (total) {
            total.increaseFailed();
        }
        return soFar();
    }

    private int page(int offset, SynchronizationResult result) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, session -> {
            RealmModel realm = session.realms().getRealm(realmId);
            if (realm == null || realm.getComponent(model.getId()) == null) {
                throw new StorageUnavailableException("the store or its realm was removed");
            }
            session.getContext().setRealm(realm); // the vault reads the database password by realm
            return stores.create(session, model).synchronize(realm, offset, PAGE, result);
        });
    }
}
