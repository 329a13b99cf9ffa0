package org.ciampack.federation;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.agroal.api.configuration.supplier.AgroalConnectionFactoryConfigurationSupplier;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The legacy customer database over JDBC, read only: the admin's statements run as prepared statements with the
 * user's input bound as parameters, never spliced in; a small pool of its own, a timeout on every acquisition and
 * statement, and a pause after a failure ({@link Outage}). A lookup that finds every connection busy is refused
 * without that pause: a flood of lookups (anyone can send names) must not stop the store for everyone.
 */
final class LegacyCustomerDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LegacyCustomerDatabase.class);
    private static final java.time.Duration MAX_CONNECTION_LIFETIME = java.time.Duration.ofMinutes(30);
    private static final int LOOKUP_GRACE_MINUTES = 5;

    private final LegacyStoreConfig config;
    /** Which hosts this server may connect to: the admin names the host, the operator the internal ranges. */
    private final DatabaseDestinations destinations;
    /** The store's realm (its name), whose lookups of the host's name count together ({@link DatabaseDestinations}). */
    private final String realm;
    /** Whether each connection is checked on its socket (PostgreSQL, MariaDB), so a lookup that fails may go on. */
    private final boolean checkedSockets;
    /** When (nanoTime) the host's name last resolved to allowed addresses only; 0: not since a refusal, or never. */
    private volatile long lastGoodLookup;
    private final Warning lookupWarning = new Warning();
    /** The URL's host, parsed once (null for an H2 file). */
    private final String networkHost;
    private final AgroalDataSource pool;
    private final Outage outage;
    /**
     * One seat per pooled connection. A lookup waits for a seat, then takes a connection that is free: a wait that
     * ends without a seat means the pool is busy, while a connection that cannot be had with a seat means the
     * database is unreachable.
     */
    private final Semaphore seats;
    private final Warning busyWarning = new Warning();
    private final Warning refusalWarning = new Warning();
    /** Why this server cannot reach the database at all (no driver for it), or null. */
    private final String noDriver;

    LegacyCustomerDatabase(LegacyStoreConfig config, String password, DatabaseDestinations destinations,
            String realm) throws SQLException {
        this.config = config;
        this.destinations = destinations;
        this.realm = realm;
        this.checkedSockets = LegacyDriver.of(config).checkedSockets;
        this.networkHost = config.host();
        this.outage = new Outage(config.outagePause(), Clock.systemUTC());
        this.seats = new Semaphore(config.poolSize(), true);
        Optional<Class<?>> driver = driver(config);
        if (driver.isEmpty()) {
            // Saved before this server lost the driver (rebuilt for another database): every lookup answers as when
            // the database is down, instead of failing every request that reaches the store.
            this.noDriver = noDriverSentence(config);
            this.pool = null;
            LOG.errorf("Legacy customer database %s cannot be reached: %s", host(), noDriver);
            return;
        }
        this.noDriver = null;
        this.pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(config.poolSize()).minSize(0).initialSize(0)
                        .acquisitionTimeout(config.timeout())
                        // a connection's address, checked when it was opened, stands for half an hour at most
                        .maxLifetime(MAX_CONNECTION_LIFETIME)
                        // a connection the database closed (a restart, a failover) is replaced, not handed out
                        .validateOnBorrow(true)
                        .connectionValidator(AgroalConnectionPoolConfiguration.ConnectionValidator
                                .defaultValidatorWithTimeout((int) Math.max(1, config.timeout().toSeconds())))
                        .connectionFactoryConfiguration(factory -> checkedSockets(factory, config)
                                .connectionProviderClass(driver.get())
                                .jdbcUrl(config.isH2File() ? config.jdbcUrl() + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r"
                                        : config.jdbcUrl())
                                .principal(new NamePrincipal(config.user()))
                                .credential(new SimplePassword(password))
                                .loginTimeout(config.timeout())
                                .readOnly(true)
                                .autoCommit(true)
                                // read only even in autocommit (pgjdbc); no client files for MySQL/MariaDB servers
                                .jdbcProperty("readOnlyMode", "always")
                                .jdbcProperty("allowLoadLocalInfile", "false")
                                .jdbcProperty("allowLocalInfile", "false")
                                .jdbcProperty("allowUrlInLocalInfile", "false"))));
    }

    Optional<LegacyCustomer> byUsername(String username) {
        return one(config.byUsernameSql(), username);
    }

    Optional<LegacyCustomer> byEmail(String email) {
        return one(config.byEmailSql(), email);
    }

    /**
     * The customer Keycloak already holds under this name, asked again (a federated customer's refresh). Only a clear
     * "no rows" is empty: the database gave this name before, so a refusal of it now (a stored row it cannot convert,
     * a statement changed to cast a column) is no answer, as are several customers for it.
     */
    Optional<LegacyCustomer> stillHas(String username) {
        if (username == null || username.isBlank() || username.length() > 255) {
            throw new LegacyStoreUnavailable("not a name the legacy customer database gives", null);
        }
        return single(query(config.byUsernameSql(), username, List.of(), () -> {
            throw new LegacyStoreUnavailable("the legacy customer database refused a name it gave before", null);
        }));
    }

    /** Customers whose username or e-mail contains {@code term} (all for an empty term), one page. */
    List<LegacyCustomer> search(String term, int first, int max) {
        return query(config.searchSql() + " limit ? offset ?", pattern(term), List.of(max, first));
    }

    long count(String term) {
        return run(config.countSql(), pattern(term), List.of(), new Rows<>() {
            @Override
            public Long read(ResultSet result) throws SQLException {
                return result.next() ? result.getLong(1) : 0L;
            }

            @Override
            public Long nothing() {
                return 0L;
            }
        });
    }

    private Optional<LegacyCustomer> one(String sql, String value) {
        if (value == null || value.isBlank() || value.length() > 255) {
            return Optional.empty();
        }
        return single(query(sql, value, List.of()));
    }

    /** The one customer found, if any; several are no answer (not "nobody": see {@link #stillHas}). */
    private Optional<LegacyCustomer> single(List<LegacyCustomer> found) {
        if (found.size() > 1) {
            LOG.warnf("Legacy customer database %s: %d customers for one lookup; none is used", host(), found.size());
            throw new LegacyStoreUnavailable("the legacy customer database has " + found.size()
                    + " customers for one lookup", null);
        }
        return found.stream().findFirst();
    }

    private List<LegacyCustomer> query(String sql, String value, List<Integer> paging) {
        return query(sql, value, paging, List::of);
    }

    /** {@code refused}: the answer when the database refuses the value (nobody by that name, for a lookup). */
    private List<LegacyCustomer> query(String sql, String value, List<Integer> paging,
                                       Supplier<List<LegacyCustomer>> refused) {
        return run(sql, value, paging, new Rows<>() {
            @Override
            public List<LegacyCustomer> read(ResultSet result) throws SQLException {
                List<LegacyCustomer> customers = new ArrayList<>();
                while (result.next()) {
                    customers.add(customer(result));
                }
                return customers;
            }

            @Override
            public List<LegacyCustomer> nothing() {
                return refused.get();
            }
        });
    }

    private interface Rows<T> {
        T read(ResultSet result) throws SQLException;

        /** The answer when the database refused the value: no rows. */
        T nothing();
    }

    /** Binds {@code value} to each of the admin's ? parameters, then the paging ones. */
    private <T> T run(String sql, String value, List<Integer> paging, Rows<T> rows) {
        outage.check();
        if (noDriver != null) {
            throw new LegacyStoreUnavailable(noDriver, null);
        }
        mayConnect(); // before the pool may open a connection, which resolves the name again; no seat held meanwhile
        takeSeat();
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setQueryTimeout((int) Math.max(1, config.timeout().toSeconds()));
            int parameters = placeholders(sql);
            int index = 1;
            for (; index <= parameters - paging.size(); index++) {
                statement.setString(index, value);
            }
            for (Integer page : paging) {
                statement.setInt(index++, page);
            }
            try (ResultSet result = statement.executeQuery()) {
                T answer = rows.read(result);
                outage.succeeded();
                return answer;
            }
        } catch (SQLException e) {
            if (refusedValue(e)) {
                // A value this database refuses (a character its columns cannot hold, ...): nobody by that name, and
                // no pause for everyone else, which anyone could otherwise cause.
                LOG.debugf("Legacy customer database %s refused a lookup: %s", host(), e.getSQLState());
                return rows.nothing();
            }
            if (!unreachable(e)) {
                // A deadlock, a statement it cannot run any more (a renamed table): no answer, which must not read as
                // "nobody" (a federated customer would be removed), and no pause for everyone else either.
                LOG.warnf("Legacy customer database %s could not answer a lookup: SQLState %s", host(), e.getSQLState());
                throw new LegacyStoreUnavailable("legacy customer database could not answer: SQLState "
                        + e.getSQLState(), e);
            }
            throw failed(e);
        } catch (RuntimeException e) { // the pool wraps some failures in runtime exceptions
            throw failed(e);
        } finally {
            seats.release();
        }
    }

    /**
     * Refuses a host that resolves to an address this server does not connect to (its own loopback, cloud metadata,
     * internal ranges the operator did not allow), at every lookup: the admin's save checked it too, but a name can
     * resolve elsewhere later, and a store saved before the operator narrowed the ranges stays. The driver resolves
     * the name again right after this, from the JVM's address cache; the pool's connections live half an hour at most.
     *
     * <p>A name with no answer within the store's timeout (or whose realm has too many slow lookups running) refuses
     * this lookup alone, without the pause after a failure: one lost DNS answer must not stop the store for everyone.
     * Where every connection is checked on its socket (PostgreSQL, MariaDB), the lookup goes on instead within
     * {@value #LOOKUP_GRACE_MINUTES} minutes of a good answer: a pooled connection needs no DNS, and a new one is
     * checked where it connects. MySQL's driver has no such check, so its stores get no grace: the driver's own lookup
     * could land anywhere.
     */
    private void mayConnect() {
        if (networkHost == null) {
            return; // an H2 file in the operator's folder
        }
        Optional<String> refused;
        try {
            refused = destinations.refusal(networkHost, realm, config.timeout());
        } catch (UnknownHostException e) {
            long good = lastGoodLookup;
            if (checkedSockets && good != 0
                    && System.nanoTime() - good < TimeUnit.MINUTES.toNanos(LOOKUP_GRACE_MINUTES)) {
                LOG.debugf("Legacy customer database %s: %s; its last good answer stands", host(), e.getMessage());
                return;
            }
            if (lookupWarning.due()) {
                LOG.warnf("Legacy customer database %s: its name could not be looked up: %s", host(), e.getMessage());
            }
            throw new LegacyStoreUnavailable("legacy customer database host not looked up: " + e.getMessage(), e);
        }
        refused.ifPresentOrElse(refusal -> {
            lastGoodLookup = 0;
            if (refusalWarning.due()) {
                LOG.warnf("Legacy customer database %s: %s", host(), refusal);
            }
            throw new LegacyStoreUnavailable(refusal, null);
        }, () -> lastGoodLookup = System.nanoTime());
    }

    /** Waits for a free connection as long as for the database; refuses the lookup, without a pause, after that. */
    private void takeSeat() {
        try {
            if (seats.tryAcquire(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LegacyStoreUnavailable("interrupted while waiting for a legacy database connection", e);
        }
        if (busyWarning.due()) {
            LOG.warnf("Legacy customer database %s: all %d connections busy for %d s; lookups refused meanwhile "
                    + "(the pool size may be too small)", host(), config.poolSize(), config.timeout().toSeconds());
        }
        throw new LegacyStoreUnavailable("legacy customer database busy: all " + config.poolSize()
                + " connections in use", null);
    }

    private LegacyStoreUnavailable failed(Exception e) {
        String why = e.getClass().getSimpleName() + ": " + e.getMessage();
        outage.failed(why);
        if (pool != null) {
            pool.flush(AgroalDataSource.FlushMode.INVALID);
        }
        LOG.warnf("Legacy customer database %s failed: %s", host(), why);
        return new LegacyStoreUnavailable("legacy customer database failed: " + why, e);
    }

    /**
     * A value the database cannot compare with its columns (SQLState class 22, data exception: a NUL byte, a string
     * too long for the column; MySQL's HY000 "illegal mix of collations" for a character outside the column's set).
     */
    static boolean refusedValue(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22")
                || "HY000".equals(state) && Set.of(1267, 1270, 1271).contains(e.getErrorCode()));
    }

    /** Connection failures (SQLState 08), timeouts, cancelled statements, exhausted servers; not refused values. */
    static boolean unreachable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof java.sql.SQLTimeoutException || e instanceof java.sql.SQLTransientConnectionException
                || e instanceof java.sql.SQLNonTransientConnectionException || state == null
                || state.startsWith("08") || state.startsWith("57") || state.startsWith("53");
    }

    private LegacyCustomer customer(ResultSet result) throws SQLException {
        LegacyStoreConfig.Columns columns = config.columns();
        Map<String, String> attributes = new HashMap<>();
        for (Map.Entry<String, String> column : columns.attributes().entrySet()) {
            String value = result.getString(column.getKey());
            if (value != null && !value.isBlank()) {
                attributes.put(column.getValue(), value);
            }
        }
        return new LegacyCustomer(result.getString(columns.username()), optional(result, columns.email()),
                !columns.emailVerified().isBlank() && result.getBoolean(columns.emailVerified()),
                optional(result, columns.firstName()), optional(result, columns.lastName()),
                result.getString(columns.password()), Map.copyOf(attributes), names(result, columns.roles()),
                names(result, columns.groups()));
    }

    /** A comma-separated list of role or group names; a few dozen at most, anything beyond is not a customer's. */
    private static List<String> names(ResultSet result, String column) throws SQLException {
        String list = optional(result, column);
        if (list == null) {
            return List.of();
        }
        return java.util.Arrays.stream(list.split(",")).map(String::strip)
                .filter(name -> !name.isEmpty() && name.length() <= 255).limit(50).toList();
    }

    private static String optional(ResultSet result, String column) throws SQLException {
        return column.isBlank() ? null : result.getString(column);
    }

    /** Sockets checked at connect time where the driver takes the pack's factory. */
    private static AgroalConnectionFactoryConfigurationSupplier checkedSockets(
            AgroalConnectionFactoryConfigurationSupplier factory, LegacyStoreConfig config) {
        return LegacyDriver.of(config).checkedSockets
                ? factory.jdbcProperty("socketFactory", CheckedSocketFactory.class.getName()) : factory;
    }

    /**
     * The driver for the URL, named rather than found through DriverManager, which does not see the drivers Keycloak
     * ships unless Keycloak's own database uses them.
     */
    private static Optional<Class<?>> driver(LegacyStoreConfig config) {
        try {
            return Optional.of(Class.forName(LegacyDriver.of(config).className, true, LegacyCustomerDatabase.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    /**
     * A sentence for the admin when this server has no driver for the URL: a Keycloak built for one database ships
     * only that database's driver (and H2 only in development).
     */
    static Optional<String> missingDriver(LegacyStoreConfig config) {
        return driver(config).isPresent() ? Optional.empty() : Optional.of(noDriverSentence(config));
    }

    private static String noDriverSentence(LegacyStoreConfig config) {
        return "This server has no JDBC driver for " + config.jdbcUrl().split(":")[1] + " ("
                + LegacyDriver.of(config).className + "): put the driver's JAR in Keycloak's providers folder and run kc.sh build again";
    }

    /** The statement's ? parameters, those inside quoted literals left out. */
    static int placeholders(String sql) {
        int count = 0;
        boolean quoted = false;
        for (char c : sql.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '?' && !quoted) {
                count++;
            }
        }
        return count;
    }

    /**
     * LIKE pattern for a search term as Keycloak reads one: lower case, a prefix unless it has a {@code *} (which
     * stands for anything); LIKE's own wildcards in the term are plain characters.
     */
    static String pattern(String term) {
        String plain = term == null ? "" : term.strip().toLowerCase(Locale.ROOT);
        String escaped = plain.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%");
        return plain.contains("*") ? escaped : escaped + "%";
    }

    /** The database's host for the log, never the credentials a URL may carry. */
    private String host() {
        String url = config.jdbcUrl();
        if (config.isH2File()) {
            return url.substring("jdbc:".length()); // a file of the server's, no credentials
        }
        int start = url.indexOf("//") + 2;
        int end = url.indexOf('/', start);
        return url.substring(start, end < 0 ? url.length() : end).replaceAll(".*@", "");
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    /** A warning written at most once a minute: a flood of lookups must not flood the log too. */
    private static final class Warning {

        private volatile long last;

        boolean due() {
            long now = System.currentTimeMillis();
            if (now - last > 60_000) {
                last = now;
                return true;
            }
            return false;
        }
    }
}
