package org.ciampack.events;

import jakarta.persistence.EntityManager;
import java.util.List;
import org.ciampack.events.dispatch.DispatcherSettings;
import org.ciampack.events.dispatch.OutboxDispatcher;
import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Event listener {@code ciam-export}: turn it on in a realm's event settings and the realm's user and admin events
 * go to its export routes, through the outbox, without ever touching a login. Also owns the node's dispatcher.
 */
public final class ExportEventListenerProviderFactory implements EventListenerProviderFactory {

    public static final String ID = "ciam-export";

    private DispatcherSettings settings;
    private volatile OutboxDispatcher dispatcher;

    /** The server's export settings, as the listener read them from its SPI options. */
    public static DispatcherSettings settings(KeycloakSessionFactory factory) {
        if (factory.getProviderFactory(EventListenerProvider.class, ID) instanceof ExportEventListenerProviderFactory own
                && own.settings != null) {
            return own.settings;
        }
        return DispatcherSettings.DEFAULTS;
    }

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new ExportEventListener(session, dispatcher);
    }

    @Override
    public void init(Config.Scope config) {
        settings = DispatcherSettings.from(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent && settings.enabled() && dispatcher == null) {
                dispatcher = new OutboxDispatcher(factory, settings);
                dispatcher.start();
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                forgetRealm(removed.getKeycloakSession(), removed.getRealm().getId());
            }
        });
    }

    /**
     * A removed realm takes its events, deliveries and route state with it; the state rows first, as a delivery round
     * locks a route's state before its delivery rows (one lock order, no deadlock with a round under way).
     */
    private static void forgetRealm(KeycloakSession session, String realmId) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        for (String query : List.of("ciamRouteState.deleteRealm", "ciamDelivery.deleteRealm", "ciamOutbox.deleteRealm")) {
            em.createNamedQuery(query).setParameter("realmId", realmId).executeUpdate();
        }
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("dispatcher-enabled").type("boolean").defaultValue(true)
                .helpText("Whether this node delivers exported events (the listener writes them either way).").add()
                .property().name("dispatcher-threads").type("int").defaultValue(4)
                .helpText("Routes this node delivers at the same time.").add()
                .property().name("poll-interval-ms").type("int").defaultValue(1000)
                .helpText("How often the dispatcher looks for new events when it is idle.").add()
                .property().name("lease-seconds").type("int").defaultValue(30)
                .helpText("How long a node holds a route; another node takes over a dead node's routes after it.").add()
                .property().name("keep-delivered-days").type("int").defaultValue(0)
                .helpText("Days the row of a delivered event is kept (counted as deliveredKept in the backlog view); "
                        + "0 deletes it once delivered (the route's state counts deliveries either way).").add()
                .property().name("keep-dead-days").type("int").defaultValue(30)
                .helpText("Days dead deliveries are kept for a replay before they are purged.").add()
                .property().name("keep-events-days").type("int").defaultValue(7)
                .helpText("Days exported events are kept for replays of a time range (back-fill of a new sink).").add()
                .property().name("allowed-destinations").type("string").defaultValue("")
                .helpText("Address ranges (CIDR, comma-separated, e.g. 127.0.0.1/32,10.1.2.0/24) that routes may send to "
                        + "although they are loopback, private, link-local or otherwise internal; refused by default.").add()
                .property().name("cross-realm-routes").type("boolean").defaultValue(false)
                .helpText("Whether routes of the master realm may take other realms' events (\"realms\" in a route); "
                        + "saving one then also needs view-events in each realm it names.").add()
                .property().name("max-replay-events").type("int").defaultValue(100000)
                .helpText("Events one replay of a time range may queue; a larger range is refused (413).").add()
                .property().name("round-events").type("int").defaultValue(1000)
                .helpText("Due events a route's delivery round reads at a time (10 to 10000; a round reads past "
                        + "customers held back by a retry in a few more such pages); a backlog goes out in rounds back "
                        + "to back. Smaller rounds hold less memory and leave fewer events to send again after a node "
                        + "dies mid-round; larger ones drain a backlog with fewer queries. It also caps a route's "
                        + "batchSize.").add()
                .build();
    }

    @Override
    public void close() {
        if (dispatcher != null) {
            dispatcher.stop();
            dispatcher = null;
        }
    }

    @Override
    public String getId() {
        return ID;
    }
}
