package org.ciampack.risk.history;

import java.time.Duration;
import java.util.List;
import org.ciampack.common.OrphanSweep;
import org.ciampack.common.UserDeletions;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

/**
 * Keeps the login history the risk signals learn from: every successful login that went through a risk
 * assessment step, the newest {@code keep} per user (trimmed in batches) ({@code --spi-events-listener--ciam-risk-history--keep},
 * default 50), with the client address stored {@code truncated} (default) or {@code hashed}
 * ({@code --spi-events-listener--ciam-risk-history--ip-storage}). Always on; rows go with their user or realm, and
 * those of users Keycloak removed in bulk with the next sweeps ({@code ...--orphan-sweep-seconds}, default 21600: six hours).
 */
public final class LoginHistoryRecorderFactory implements EventListenerProviderFactory {

    public static final String ID = "ciam-risk-history";

    private int keep = 50;
    private IpStorage ipStorage = IpStorage.TRUNCATED;
    private Duration orphanSweep;
    private OrphanSweep sweep;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new LoginHistoryRecorder(session, keep, ipStorage);
    }

    @Override
    public void init(Config.Scope config) {
        keep = Math.max(1, config.getInt("keep", 50));
        ipStorage = IpStorage.fromOption(config.get("ip-storage", "truncated"));
        orphanSweep = OrphanSweep.interval(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        UserDeletions.Cleanup cleanup = (session, realm, userId) -> {
            LoginHistory.of(session).removeUser(realm.getId(), userId);
            SentNotices.removeUser(session, realm.getId(), userId);
        };
        factory.register(UserDeletions.everyDeletion(cleanup));
        sweep = OrphanSweep.schedule(factory, "risk", orphanSweep,
                List.of(new OrphanSweep.Table("LoginHistoryEntity"), new OrphanSweep.Table("SentNoticesEntity")), cleanup);
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                LoginHistory.of(removed.getKeycloakSession()).removeRealm(removed.getRealm().getId());
                SentNotices.removeRealm(removed.getKeycloakSession(), removed.getRealm().getId());
            }
        });
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void close() {
        OrphanSweep.stop(sweep);
    }
}
