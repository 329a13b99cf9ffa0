package org.ciampack.risk.history;

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
 * ({@code --spi-events-listener--ciam-risk-history--ip-storage}). Always on; rows go with their user or realm.
 */
public final class LoginHistoryRecorderFactory implements EventListenerProviderFactory {

    public static final String ID = "ciam-risk-history";

    private int keep = 50;
    private IpStorage ipStorage = IpStorage.TRUNCATED;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new LoginHistoryRecorder(session, keep, ipStorage);
    }

    @Override
    public void init(Config.Scope config) {
        keep = Math.max(1, config.getInt("keep", 50));
        ipStorage = IpStorage.fromOption(config.get("ip-storage", "truncated"));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(UserDeletions.everyDeletion((session, realm, userId) -> {
            LoginHistory.of(session).removeUser(realm.getId(), userId);
            SentNotices.removeUser(session, realm.getId(), userId);
        }));
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
    }
}
