package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RealmProvider;
import org.keycloak.storage.StorageUnavailableException;
import org.keycloak.vault.VaultStringSecret;
import org.keycloak.vault.VaultTranscriber;

/**
 * The factory parses and checks a store's settings once per version of them: the requests that reach an unchanged
 * store share its pool, while a changed setting, a rotated password or a broken setting is seen at the next request.
 * (This classpath has no PostgreSQL driver: each pool is one that answers "unavailable", and says so in the log.)
 */
class LegacyStoreProviderFactoryTest {

    private final LegacyStoreProviderFactory factory = new LegacyStoreProviderFactory();
    /** The vault's secrets, by reference. */
    private final Map<String, String> vault = new HashMap<>(Map.of("${vault.legacy-shop-db}", "first"));

    @AfterEach
    void closePools() {
        factory.close();
    }

    @Test
    void requestsReachingAnUnchangedStoreShareItsPoolAndItsParsedSettings() {
        ComponentModel store = store();

        LegacyStoreProvider first = factory.create(session(), store);

        LegacyStoreProvider again = factory.create(session(), store);
        assertThat(again.database()).isSameAs(first.database());
        assertThat(again.config()).as("not parsed and checked again").isSameAs(first.config());
        assertThat(factory.create(session(), store()).config()).as("the same settings, read again")
                .isSameAs(first.config());
        ComponentModel synced = store();
        synced.put("lastSync", "1764000000"); // Keycloak's own note in the settings: nothing the pool was made with
        assertThat(factory.create(session(), synced).database()).isSameAs(first.database());
    }

    @Test
    void aSettingChangedInTheSameModelIsSeen() {
        ComponentModel store = store();
        LegacyStoreProvider first = factory.create(session(), store);

        store.put(LegacyStoreConfig.BY_EMAIL_SQL, "select * from customers where email_lower = lower(?)");

        LegacyStoreProvider next = factory.create(session(), store);
        assertThat(next.config().byEmailSql()).isEqualTo("select * from customers where email_lower = lower(?)");
        assertThat(next.database()).isNotSameAs(first.database());
    }

    @Test
    void aChangedSettingOrARotatedPasswordGetsANewPoolAtTheNextRequest() {
        LegacyCustomerDatabase first = factory.create(session(), store()).database();

        ComponentModel larger = store();
        larger.put(LegacyStoreConfig.POOL_SIZE, "4");
        LegacyCustomerDatabase second = factory.create(session(), larger).database();
        assertThat(second).isNotSameAs(first);

        vault.put("${vault.legacy-shop-db}", "rotated");
        assertThat(factory.create(session(), larger).database()).isNotSameAs(second);
    }

    @Test
    void aBrokenSettingFailsEveryRequestEvenAfterAWorkingOne() {
        factory.create(session(), store());
        ComponentModel broken = store();
        broken.put(LegacyStoreConfig.JDBC_URL, "jdbc:h2:mem:anything");

        for (int request = 0; request < 2; request++) {
            assertThatThrownBy(() -> factory.create(session(), broken)).isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("is misconfigured");
        }
    }

    /**
     * The admin names the host, so a store is an SSRF surface: by default the server connects to no loopback,
     * link-local (cloud metadata) or private address, and the operator allows their own ranges. A name that does not
     * resolve is saved (its lookups fail as a database that is down), and the answer never says what kind of address
     * a name has.
     */
    @Test
    void aStoreAimedAtTheServersOwnNetworkIsRefusedUnlessTheOperatorAllowsIt() {
        for (String host : new String[] {"127.0.0.1", "169.254.169.254", "10.20.0.15", "0.0.0.0", "localhost"}) {
            ComponentModel store = store();
            store.put(LegacyStoreConfig.JDBC_URL, "jdbc:postgresql://" + host + ":5432/shop");
            assertThatThrownBy(() -> factory.validateConfiguration(null, realm("acme"), store)).as(host)
                    .isInstanceOf(ComponentValidationException.class)
                    .hasMessageContaining("The JDBC URL''s host " + host + " is not one this server connects to")
                    .hasMessageContaining("spi-storage--ciam-legacy-jdbc--allowed-destinations")
                    .hasMessageNotContaining("loopback").hasMessageNotContaining("private");
        }

        LegacyStoreProviderFactory allowing = new LegacyStoreProviderFactory();
        allowing.init(scope(Map.of("allowed-destinations", "10.20.0.15/32,127.0.0.1")));
        ComponentModel internal = store();
        internal.put(LegacyStoreConfig.JDBC_URL, "jdbc:postgresql://10.20.0.15:5432/shop");
        assertThat(allowing.destinationProblem(LegacyStoreConfig.of(internal), "acme")).isEmpty();
        internal.put(LegacyStoreConfig.JDBC_URL, "jdbc:postgresql://10.20.0.16:5432/shop");
        assertThat(allowing.destinationProblem(LegacyStoreConfig.of(internal), "acme")).isPresent();
        internal.put(LegacyStoreConfig.JDBC_URL, "jdbc:postgresql://no-such-host.invalid:5432/shop");
        assertThat(allowing.destinationProblem(LegacyStoreConfig.of(internal), "acme")).as("not resolved: saved").isEmpty();
    }

    /** A realm that only has a name. */
    private static RealmModel realm(String name) {
        return (RealmModel) Proxy.newProxyInstance(LegacyStoreProviderFactoryTest.class.getClassLoader(),
                new Class<?>[] {RealmModel.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getName")) {
                        return name;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A server option scope with these values (Keycloak splits lists at commas). */
    private static Config.Scope scope(Map<String, String> values) {
        return (Config.Scope) Proxy.newProxyInstance(LegacyStoreProviderFactoryTest.class.getClassLoader(),
                new Class<?>[] {Config.Scope.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> values.get((String) args[0]);
                    case "getArray" -> values.containsKey((String) args[0])
                            ? values.get((String) args[0]).split(",") : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ComponentModel store() {
        ComponentModel model = new ComponentModel();
        model.setId("shop-store");
        model.setName("legacy-shop");
        model.put(LegacyStoreConfig.JDBC_URL, "jdbc:postgresql://legacy.example:5432/shop");
        model.put(LegacyStoreConfig.USER, "shop");
        model.put(LegacyStoreConfig.PASSWORD, "${vault.legacy-shop-db}");
        return model;
    }

    /** A session whose vault answers from {@link #vault} and whose one realm is acme; nothing else of it is used. */
    private KeycloakSession session() {
        VaultTranscriber transcriber = (VaultTranscriber) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {VaultTranscriber.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getStringSecret")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Optional<String> secret = Optional.ofNullable(vault.get((String) args[0]));
                    return new VaultStringSecret() {
                        @Override
                        public Optional<String> get() {
                            return secret;
                        }

                        @Override
                        public void close() {
                        }
                    };
                });
        RealmProvider realms = (RealmProvider) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RealmProvider.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getRealm")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return realm("acme");
                });
        return (KeycloakSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeycloakSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "vault" -> transcriber;
                    case "realms" -> realms;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
