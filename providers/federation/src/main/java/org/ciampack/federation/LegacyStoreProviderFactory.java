package org.ciampack.federation;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.ciampack.common.AddressPolicy;
import org.ciampack.common.NameLookup;
import org.ciampack.common.UserDeletions;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.storage.StorageUnavailableException;
import org.keycloak.storage.UserStorageProviderFactory;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.ImportSynchronization;
import org.keycloak.storage.user.SynchronizationResult;
import org.keycloak.vault.VaultStringSecret;

/**
 * "CIAM legacy database" in the admin console's User federation page: customers of an existing customer database
 * (PostgreSQL, MariaDB, MySQL) sign in with their old passwords and move into Keycloak at their first login.
 * One connection pool per configured store, kept across requests and closed when the store changes or goes.
 */
public final class LegacyStoreProviderFactory implements UserStorageProviderFactory<LegacyStoreProvider>,
        ImportSynchronization {

    public static final String ID = "ciam-legacy-jdbc";
    private static final Logger LOG = Logger.getLogger(LegacyStoreProviderFactory.class);

    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private final Map<String, LegacySynchronization> synchronizations = new ConcurrentHashMap<>();
    private final ExecutorService synchronizationThreads = Executors.newCachedThreadPool(work -> {
        Thread thread = new Thread(work, "ciam-legacy-sync");
        thread.setDaemon(true);
        return thread;
    });
    /** Where H2 database files may be (server option h2-directory), or null: nowhere. */
    private Path h2Directory;
    /** Which database hosts stores may connect to (server option allowed-destinations adds internal ranges). */
    private DatabaseDestinations destinations = new DatabaseDestinations(AddressPolicy.DEFAULT);

    /**
     * A pool and the settings it was made with (as the admin saved them, and parsed), so a changed store gets a new
     * one and an unchanged one is not parsed and checked again at every request that reaches it.
     */
    private record Pool(Map<String, List<String>> settings, LegacyStoreConfig config, String password,
                        LegacyCustomerDatabase database) {

        boolean madeWith(ComponentModel model) {
            return settings.equals(model.getConfig());
        }

        @Override
        public String toString() {
            return "Pool[" + config + "]"; // never the password
        }
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Customers of a legacy customer database (PostgreSQL, MariaDB, MySQL) sign in with the passwords their "
                + "old system hashed (bcrypt, PBKDF2, Argon2, scrypt, salted SHA, MD5/SHA-1) and are moved into "
                + "Keycloak at their first successful login.";
    }

    @Override
    public LegacyStoreProvider create(KeycloakSession session, ComponentModel model) {
        Pool known = pools.get(model.getId());
        if (known != null && known.madeWith(model) && known.password().equals(password(session, known.config()))) {
            return new LegacyStoreProvider(session, model, known.config(), known.database());
        }
        LegacyStoreConfig config = LegacyStoreConfig.of(model);
        List<String> problems = config.problems(h2Directory); // a store saved before a rule came in is checked here
        if (!problems.isEmpty()) {
            throw new StorageUnavailableException("legacy customer store " + model.getName() + " is misconfigured: "
                    + String.join("; ", problems));
        }
        String password = password(session, config);
        Map<String, List<String>> settings = new HashMap<>();
        model.getConfig().forEach((name, values) ->
                settings.put(name, values == null ? null : new ArrayList<>(values)));
        Pool pool = pools.compute(model.getId(), (id, current) -> {
            if (current != null && current.config().equals(config) && current.password().equals(password)) {
                return current.madeWith(model) ? current : new Pool(settings, config, password, current.database());
            }
            LegacyCustomerDatabase database;
            try {
                database = new LegacyCustomerDatabase(config, password, destinations, realmName(session, model));
            } catch (SQLException e) {
                // the pool in place stays, open: it is made again at the next request with these settings
                LOG.warnf("Legacy customer store %s: no connection pool: %s", model.getName(), e.getMessage());
                throw new StorageUnavailableException("legacy customer database not configured: " + e.getMessage(), e);
            }
            if (current != null) {
                current.database().close();
            }
            return new Pool(settings, config, password, database);
        });
        return new LegacyStoreProvider(session, model, config, pool.database());
    }

    /** The database password, read from Keycloak's vault at each request: a rotated one takes effect at once. */
    private static String password(KeycloakSession session, LegacyStoreConfig config) {
        try (VaultStringSecret secret = session.vault().getStringSecret(config.passwordRef())) {
            return secret.get().orElse("");
        }
    }

    /**
     * "Synchronize all users": every legacy customer not imported yet is imported; federated ones refreshed. One at a
     * time per store on this node: asked again while it runs, the answer is its progress.
     */
    @Override
    public SynchronizationResult sync(KeycloakSessionFactory sessions, String realmId, UserStorageProviderModel model) {
        LegacySynchronization running = synchronizations.compute(model.getId(), (id, current) ->
                current != null && !current.isDone() ? current
                        : LegacySynchronization.start(this, sessions, realmId, model, synchronizationThreads));
        return running.await(LegacyStoreConfig.of(model).syncAnswer());
    }

    /** The legacy schema has no change marker to ask for: the same as a full synchronization, which skips quickly. */
    @Override
    public SynchronizationResult syncSince(Date lastSync, KeycloakSessionFactory sessions, String realmId,
                                           UserStorageProviderModel model) {
        return sync(sessions, realmId, model);
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        LegacyStoreConfig config = LegacyStoreConfig.of(model);
        List<String> problems = config.problems(h2Directory);
        if (problems.isEmpty()) {
            LegacyCustomerDatabase.missingDriver(config).ifPresent(problems::add);
        }
        destinationProblem(config, realm.getName()).ifPresent(problems::add); // a URL that is not accepted names no host
        if (!problems.isEmpty()) {
            // Keycloak formats the message with MessageFormat: one quoted literal comes out as written
            throw new ComponentValidationException("'" + String.join("; ", problems).replace("'", "''") + "'");
        }
    }

    /** Why this server will not connect to the URL's host, for the admin ({@link DatabaseDestinations}). */
    Optional<String> destinationProblem(LegacyStoreConfig config, String realm) {
        String host = config.host();
        return host == null ? Optional.empty() : destinations.refusalOnSave(host, realm);
    }

    /** The store's realm by name, whose name lookups count together with its export routes' ({@link NameLookup}). */
    private static String realmName(KeycloakSession session, ComponentModel model) {
        RealmModel realm = session.realms().getRealm(model.getParentId());
        return realm == null ? model.getParentId() : realm.getName();
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        close(newModel.getId());
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        close(model.getId());
        synchronizations.remove(model.getId()); // a running one stops at its next page: the store is gone
        LegacyImports.forgetComponent(session, realm.getId(), model.getId());
    }

    @Override
    public void init(Config.Scope config) {
        String directory = config.get("h2-directory");
        h2Directory = directory == null || directory.isBlank() ? null : Path.of(directory).toAbsolutePath().normalize();
        if (h2Directory != null) {
            LOG.infof("Legacy customer stores may use H2 database files in %s (for demos and tests)", h2Directory);
        }
        String[] allowed = config.getArray("allowed-destinations");
        AddressPolicy policy = AddressPolicy.allowing(allowed == null ? List.of() : List.of(allowed));
        destinations = new DatabaseDestinations(policy);
        CheckedSocketFactory.policy(policy);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("allowed-destinations").type("string").defaultValue("")
                .helpText("Internal address ranges (CIDR list, e.g. 10.20.0.15/32) that stores may connect to. "
                        + "Loopback, link-local (cloud metadata), private and other non-public addresses are "
                        + "refused otherwise, whatever a realm admin types.").add()
                .property().name("h2-directory").type("string")
                .helpText("A folder whose H2 database files stores may read, for demos and tests; unset: none.").add()
                .build();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // A customer deleted in Keycloak (linked, migrated or unlinked) never comes back from the legacy row; a
        // linked copy that Keycloak drops because the row is gone does: should the row come back, so do they.
        factory.register(UserDeletions.requestedDeletion((session, realm, userId) ->
                LegacyImports.closeUser(session, realm.getId(), userId)));
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                LegacyImports.forgetRealm(removed.getKeycloakSession(), removed.getRealm().getId());
            }
        });
    }

    private void close(String componentId) {
        Pool pool = pools.remove(componentId);
        if (pool != null) {
            pool.database().close();
        }
    }

    @Override
    public void close() {
        synchronizationThreads.shutdownNow();
        pools.values().forEach(pool -> pool.database().close());
        pools.clear();
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(LegacyStoreConfig.MODE).label("Mode").type(ProviderConfigProperty.LIST_TYPE)
                .options(LegacyStoreConfig.Mode.MIGRATE.value(), LegacyStoreConfig.Mode.FEDERATED.value())
                .defaultValue(LegacyStoreConfig.Mode.MIGRATE.value())
                .helpText("lazy-migration: a customer moves into Keycloak at their first login (or at 'Synchronize "
                        + "all users', without the password) and the legacy database is not asked about them again. "
                        + "federated: the legacy database stays the owner, read only; profiles are refreshed from it "
                        + "when the cache settings below let a customer go, passwords are checked there and cannot be "
                        + "changed in Keycloak.").add()
                .property().name(LegacyStoreConfig.IMPORT_PASSWORD_HASHES).label("Import password hashes")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("Lazy migration only: an imported customer gets their legacy hash as a Keycloak credential "
                        + "(algorithm ciam-legacy), re-hashed with the realm's policy at their first login; after "
                        + "'Synchronize all users' the legacy database is no longer needed for sign-ins.").add()
                .property().name(LegacyStoreConfig.JDBC_URL).label("JDBC URL").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("e.g. jdbc:postgresql://legacy-db:5432/shop (PostgreSQL, MariaDB or MySQL; Keycloak ships "
                        + "their drivers).").required(true).add()
                .property().name(LegacyStoreConfig.USER).label("Database user").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("A read-only user: the store never writes to the legacy database.").add()
                .property().name(LegacyStoreConfig.PASSWORD).label("Database password")
                .type(ProviderConfigProperty.PASSWORD).secret(true)
                .helpText("Put it in Keycloak's vault under a key starting with legacy- and enter "
                        + "${vault.legacy-<name>} here.").add()
                .property().name(LegacyStoreConfig.POOL_SIZE).label("Pool size").type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(8).helpText("Connections at most, per Keycloak node.").add()
                .property().name(LegacyStoreConfig.TIMEOUT_SECONDS).label("Timeout (seconds)")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(2)
                .helpText("For a connection and for each statement. Keep it under Keycloak's storage provider "
                        + "timeout (3 s).").add()
                .property().name(LegacyStoreConfig.OUTAGE_PAUSE_SECONDS).label("Pause after a failure (seconds)")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(10)
                .helpText("After a failure the legacy database is not asked for this long: legacy customers get "
                        + "'try again later' at once, everything else goes on.").add()
                .property().name(LegacyStoreConfig.BY_USERNAME_SQL).label("SQL: customer by username")
                .type(ProviderConfigProperty.TEXT_TYPE)
                .defaultValue("select * from customers where lower(username) = lower(?)")
                .helpText("One select; every ? is bound to the username.").add()
                .property().name(LegacyStoreConfig.BY_EMAIL_SQL).label("SQL: customer by e-mail")
                .type(ProviderConfigProperty.TEXT_TYPE)
                .defaultValue("select * from customers where lower(email) = lower(?)")
                .helpText("One select; every ? is bound to the e-mail address.").add()
                .property().name(LegacyStoreConfig.SEARCH_SQL).label("SQL: search")
                .type(ProviderConfigProperty.TEXT_TYPE)
                .defaultValue("select * from customers where lower(username) like ? or lower(email) like ? order by id")
                .helpText("One select with a stable order; every ? is bound to the search as a LIKE pattern "
                        + "(%term%, lower case); 'limit ? offset ?' is added for paging.").add()
                .property().name(LegacyStoreConfig.COUNT_SQL).label("SQL: count")
                .type(ProviderConfigProperty.TEXT_TYPE)
                .defaultValue("select count(*) from customers where lower(username) like ? or lower(email) like ?")
                .helpText("The count of the search, with the same parameters.").add()
                .property().name(LegacyStoreConfig.USERNAME_COLUMN).label("Username column")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue("username").add()
                .property().name(LegacyStoreConfig.EMAIL_COLUMN).label("E-mail column")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue("email").add()
                .property().name(LegacyStoreConfig.EMAIL_VERIFIED_COLUMN).label("E-mail verified column")
                .type(ProviderConfigProperty.STRING_TYPE).helpText("A boolean column; empty: not verified.").add()
                .property().name(LegacyStoreConfig.FIRST_NAME_COLUMN).label("First name column")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue("first_name").add()
                .property().name(LegacyStoreConfig.LAST_NAME_COLUMN).label("Last name column")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue("last_name").add()
                .property().name(LegacyStoreConfig.PASSWORD_COLUMN).label("Password hash column")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue("password_hash")
                .helpText("bcrypt, PBKDF2 (Django's format), Argon2 and scrypt (PHC strings), {SSHA}/{SSHA256}/"
                        + "{SSHA512}, and plain MD5, SHA-1 or SHA-256 in hex, told apart by their format.").add()
                .property().name(LegacyStoreConfig.ATTRIBUTE_COLUMNS).label("More columns")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("column=attribute, e.g. phone_number=phone: copied to the user's attributes.").add()
                .property().name(LegacyStoreConfig.SYNC_ANSWER_SECONDS).label("Synchronization answer time (seconds)")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(60)
                .helpText("'Synchronize all users' answers with the result when the import ends within this time, "
                        + "else with the figures so far while it goes on in the background (progress and end in the "
                        + "server log; asked again, it answers its progress).").add()
                .property().name(LegacyStoreConfig.ROLES_COLUMN).label("Roles column")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("A column listing realm role names (comma-separated), granted at the import. Roles the "
                        + "realm does not have are skipped, and so is any role that gives realm administration "
                        + "rights.").add()
                .property().name(LegacyStoreConfig.GROUPS_COLUMN).label("Groups column")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("A column listing group names or paths (comma-separated, e.g. vip or /tiers/gold), "
                        + "joined at the import; unknown groups and groups with realm administration roles are "
                        + "skipped.").add()
                .property().name(LegacyStoreConfig.CHECK_POLICY_AT_MIGRATION).label("Check the password policy at migration")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true")
                .helpText("A legacy password the realm's password policy refuses must be changed at that first "
                        + "login (it is still accepted once).").add()
                .property().name(LegacyStoreConfig.FAILURE_FLOOR_MILLIS).label("Failed sign-ins take at least (ms)")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(0)
                .helpText("Every failed sign-in in this realm that answers as a wrong password takes at least this "
                        + "long, from a node's first request on. Without it a node learns how long legacy checks take "
                        + "from the first ones after a start, and until then a legacy customer's wrong password "
                        + "answers later than an unknown address's. Set it a little over your slowest legacy hash "
                        + "(e.g. 600 for Argon2id at 64 MiB); 0: learned only. At most the server option "
                        + "spi-events-listener--ciam-legacy-failure-time--max-pause-millis (1000 by default).").add()
                .build();
    }
}
