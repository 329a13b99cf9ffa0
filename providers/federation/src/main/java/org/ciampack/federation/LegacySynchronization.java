package org.ciampack.federation;

import java.time.Duration;
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
 */
final class LegacySynchronization {

    static final int PAGE = 500;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(LegacySynchronization.class);

    private final LegacyStoreProviderFactory stores;
    private final KeycloakSessionFactory sessions;
    private final String realmId;
    private final UserStorageProviderModel model;

    LegacySynchronization(LegacyStoreProviderFactory stores, KeycloakSessionFactory sessions, String realmId,
                          UserStorageProviderModel model) {
        this.stores = stores;
        this.sessions = sessions;
        this.realmId = realmId;
        this.model = model;
    }

    SynchronizationResult run() {
        SynchronizationResult total = new SynchronizationResult();
        long started = System.nanoTime();
        long reported = started;
        int read = 0;
        LOG.infof("Legacy store %s: synchronization started", model.getName());
        while (true) {
            SynchronizationResult page = new SynchronizationResult();
            int rows = -1;
            for (int attempt = 1; rows < 0; attempt++) {
                page = new SynchronizationResult();
                try {
                    rows = page(read, page);
                } catch (LegacyStoreUnavailable | StorageUnavailableException e) {
                    return stopped(total, read, e);
                } catch (RuntimeException e) {
                    if (attempt == 2) {
                        return stopped(total, read, e);
                    }
                    // e.g. a customer imported by their own login meanwhile: once more, the page finds them imported
                    LOG.debugf(e, "Legacy store %s: the page at %d failed; once more", model.getName(), read);
                }
            }
            total.add(page);
            read += rows;
            long now = System.nanoTime();
            if (rows < PAGE) {
                LOG.infof("Legacy store %s: synchronization done: %d legacy customers read, %s, in %d s",
                        model.getName(), read, total.getStatus(), Duration.ofNanos(now - started).toSeconds());
                return total;
            }
            if (Duration.ofNanos(now - reported).compareTo(PROGRESS_EVERY) >= 0) {
                reported = now;
                LOG.infof("Legacy store %s: synchronization at %d legacy customers, %s, %.0f per second",
                        model.getName(), read, total.getStatus(), read / (Duration.ofNanos(now - started).toMillis() / 1000.0));
            }
        }
    }

    private SynchronizationResult stopped(SynchronizationResult total, int read, RuntimeException e) {
        LOG.warnf("Legacy store %s: synchronization stopped after %d customers (%s); run it again to go on: the "
                + "customers imported so far are skipped", model.getName(), read, e.getMessage());
        total.increaseFailed();
        return total;
    }

    private int page(int offset, SynchronizationResult result) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, session -> {
            RealmModel realm = session.realms().getRealm(realmId);
            session.getContext().setRealm(realm); // the vault reads the database password by realm
            return stores.create(session, model).synchronize(realm, offset, PAGE, result);
        });
    }
}
