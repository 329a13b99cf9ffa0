package org.ciampack.federation;

import java.time.Duration;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * {@value #ID}: a global listener (every realm, nothing to switch on) that makes a failed sign-in take as long for an
 * unknown address as for a legacy customer, so that sign-in times do not tell who the legacy customers are. It only
 * acts in realms where this node has checked legacy passwords or whose legacy store sets a floor. The server option
 * {@code spi-events-listener--ciam-legacy-failure-time--max-pause-millis} (default 1000) bounds the hold and the floor:
 * a legacy hash slower than that still shows.
 */
public final class EqualFailureTimeListenerFactory implements EventListenerProviderFactory {

    static final String ID = "ciam-legacy-failure-time";
    static final String MAX_PAUSE = "max-pause-millis";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new EqualFailureTimeListener(session);
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
    public void init(Config.Scope config) {
        long millis;
        try {
            millis = config.getLong(MAX_PAUSE, EqualFailureTime.DEFAULT_MAX_PAUSE.toMillis());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 0 || millis > 10_000) {
            throw new IllegalArgumentException(MAX_PAUSE + " of " + ID
                    + " must be a number of milliseconds from 0 to 10000, not " + config.get(MAX_PAUSE));
        }
        EqualFailureTime.maxPause(Duration.ofMillis(millis));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                EqualFailureTime.forget(removed.getRealm().getId());
            }
        });
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(MAX_PAUSE).type("int")
                .helpText("The longest a failed sign-in is held so that it takes as long as a legacy customer's "
                        + "(milliseconds, 0 to 10000; 0 holds none)")
                .defaultValue((int) EqualFailureTime.DEFAULT_MAX_PAUSE.toMillis())
                .add().build();
    }

    @Override
    public void close() {
    }
}
