package org.ciampack.events.dispatch;

import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.ciampack.events.ExportEventListenerProviderFactory;
import org.ciampack.events.format.EventFormat;
import org.ciampack.events.format.Formats;
import org.ciampack.events.route.Route;
import org.ciampack.events.route.RouteSecrets;
import org.ciampack.events.sink.ExportSink;
import org.ciampack.events.sink.ExportSinkFactory;
import org.ciampack.events.sink.SinkContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.truststore.TruststoreProvider;
import org.keycloak.vault.VaultStringSecret;

/**
 * A route as this node delivers it: its sink opened (connections kept between rounds), its rendering, its flood
 * control, and its circuit: after a round where nothing got through, the route waits before the next one.
 */
final class OpenRoute implements AutoCloseable {

    static final String PRODUCT_VERSION = OpenRoute.class.getPackage().getImplementationVersion() != null
            ? OpenRoute.class.getPackage().getImplementationVersion() : "dev";
    private static final Duration REOPEN_EVERY = Duration.ofMinutes(5);

    final String realmId;
    final String realmName;
    final Route route;
    final Throttle throttle;
    /**
     * A master route's: whether its definition is the one an admin allowed to see the realms it names saved
     * ({@link org.ciampack.events.outbox.CrossRealmApproval}); set by the registry before anyone can see the route.
     */
    volatile boolean crossRealmApproved;
    private final String definition;
    private ExportSink sink;
    private Rendering rendering;
    private Instant openedAt;
    private Instant waitUntil = Instant.EPOCH;
    private int failedRounds;

    OpenRoute(String realmId, String realmName, Route route) {
        this.realmId = realmId;
        this.realmName = realmName;
        this.route = route;
        this.definition = route.definition().toString();
        this.throttle = new Throttle(route.maxPerMinute());
    }

    boolean sameDefinition(Route other) {
        return definition.equals(other.definition().toString());
    }

    /** Opens (or re-opens, every few minutes, to pick up rotated vault secrets) the sink; throws when it cannot. */
    synchronized void open(KeycloakSession session, RealmModel realm, ExportSinkFactory factory) {
        if (sink != null && openedAt.plus(REOPEN_EVERY).isAfter(Instant.now())) {
            return;
        }
        closeSink();
        SinkContext context = context(session, realm, route);
        EventFormat format = Formats.of(route.format(), PRODUCT_VERSION, route.settings().get("mapping"))
                .orElseThrow(() -> new IllegalArgumentException("unknown format " + route.format()));
        byte[] hashKey = null;
        if (route.pii().hashes()) {
            String key = context.secrets().apply(route.hashKey());
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("pii.hashKey is not in the vault");
            }
            hashKey = key.getBytes(StandardCharsets.UTF_8);
        }
        rendering = new Rendering(route, format, hashKey);
        sink = factory.open(context);
        openedAt = Instant.now();
    }

    static SinkContext context(KeycloakSession session, RealmModel realm, Route route) {
        session.getContext().setRealm(realm);
        UnaryOperator<String> secrets = expression -> {
            String key = RouteSecrets.vaultKey(expression);
            if (key != null && !RouteSecrets.allowedKey(key)) {
                // a route that came in around the admin API (realm import, realm attributes): still no other secrets
                return null;
            }
            try (VaultStringSecret secret = session.vault().getStringSecret(expression)) {
                return secret.get().orElse(null);
            }
        };
        return new SinkContext(realm.getName(), route.name(), route.settings(), secrets, tls(session), hostname(),
                ExportEventListenerProviderFactory.settings(session.getKeycloakSessionFactory()).destinations());
    }

    /** TLS that trusts what Keycloak's truststore trusts ({@code --truststore-paths}), else the JVM's defaults. */
    static SSLContext tls(KeycloakSession session) {
        try {
            TruststoreProvider truststore = session.getProvider(TruststoreProvider.class);
            KeyStore store = truststore != null ? truststore.getTruststore() : null;
            if (store == null) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context", e);
        }
    }

    static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "keycloak";
        }
    }

    synchronized ExportSink sink() {
        return sink;
    }

    synchronized Rendering rendering() {
        return rendering;
    }

    synchronized boolean waiting(Instant now) {
        return now.isBefore(waitUntil);
    }

    /** A round where nothing got through: wait (doubling, up to the route's longest retry delay) and re-open. */
    synchronized void roundFailed(Instant now) {
        failedRounds++;
        long millis = Math.min(route.retry().maxDelay().toMillis(),
                route.retry().initialDelay().toMillis() * (1L << Math.min(failedRounds - 1, 20)));
        waitUntil = now.plusMillis(millis);
        closeSink();
    }

    /** An admin resumed the route: no more waiting, the next tick starts a round. */
    synchronized void wake() {
        roundSucceeded();
    }

    synchronized void roundSucceeded() {
        failedRounds = 0;
        waitUntil = Instant.EPOCH;
    }

    private void closeSink() {
        if (sink != null) {
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // a sink that fails to close is dropped all the same
            }
        }
        sink = null;
        rendering = null;
    }

    @Override
    public synchronized void close() {
        closeSink();
    }
}
