package org.ciampack.federation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.keycloak.component.ComponentModel;

/** The legacy store's settings, parsed once from the component the admin configured. */
public record LegacyStoreConfig(String jdbcUrl, String user, String passwordRef, int poolSize, Duration timeout,
                                Duration outagePause, String byUsernameSql, String byEmailSql, String searchSql,
                                String countSql, Columns columns, boolean checkPolicyAtMigration, Mode mode,
                                boolean importPasswordHashes, Duration syncAnswer, int failureFloorMillis) {

    public static final String JDBC_URL = "jdbcUrl";
    public static final String USER = "user";
    public static final String PASSWORD = "password";
    public static final String POOL_SIZE = "poolSize";
    public static final String TIMEOUT_SECONDS = "timeoutSeconds";
    public static final String OUTAGE_PAUSE_SECONDS = "outagePauseSeconds";
    public static final String BY_USERNAME_SQL = "byUsernameSql";
    public static final String BY_EMAIL_SQL = "byEmailSql";
    public static final String SEARCH_SQL = "searchSql";
    public static final String COUNT_SQL = "countSql";
    public static final String USERNAME_COLUMN = "usernameColumn";
    public static final String EMAIL_COLUMN = "emailColumn";
    public static final String EMAIL_VERIFIED_COLUMN = "emailVerifiedColumn";
    public static final String FIRST_NAME_COLUMN = "firstNameColumn";
    public static final String LAST_NAME_COLUMN = "lastNameColumn";
    public static final String PASSWORD_COLUMN = "passwordColumn";
    public static final String ATTRIBUTE_COLUMNS = "attributeColumns";
    public static final String ROLES_COLUMN = "rolesColumn";
    public static final String GROUPS_COLUMN = "groupsColumn";
    public static final String CHECK_POLICY_AT_MIGRATION = "checkPolicyAtMigration";
    public static final String MODE = "mode";
    public static final String IMPORT_PASSWORD_HASHES = "importPasswordHashes";
    public static final String SYNC_ANSWER_SECONDS = "syncAnswerSeconds";
    public static final String FAILURE_FLOOR_MILLIS = "failureFloorMillis";
    /** The longest floor an admin may set; the server option {@code max-pause-millis} may bound it lower. */
    static final int MAX_FAILURE_FLOOR_MILLIS = 10_000;

    /** Who owns a customer once Keycloak has seen them. */
    public enum Mode {
        /** Keycloak, from their first successful login (or from the import of their hash): the default. */
        MIGRATE("lazy-migration"),
        /** The legacy database, for good: profile and password are read there, Keycloak changes neither. */
        FEDERATED("federated");

        private final String value;

        Mode(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static Mode of(String value) {
            return FEDERATED.value.equals(value) ? FEDERATED : MIGRATE;
        }
    }

    /**
     * A plain URL of a driver Keycloak ships: host, port, database and a few harmless properties. URLs of other
     * drivers can run code on the server (H2's), and some properties of these can read its files (MySQL's
     * allowLoadLocalInfile) or load classes: an admin who can add a store must not get either.
     */
    static final Pattern URL = Pattern.compile("jdbc:(postgresql|mariadb|mysql)://[A-Za-z0-9.\\-]+(:\\d{1,5})?"
            + "/[A-Za-z0-9_\\-]+(\\?(sslmode|ssl|sslMode|useSSL|requireSSL|currentSchema|ApplicationName|connectTimeout"
            + "|socketTimeout|serverTimezone|characterEncoding)=[A-Za-z0-9_\\-.]+(&(sslmode|ssl|sslMode|useSSL|requireSSL"
            + "|currentSchema|ApplicationName|connectTimeout|socketTimeout|serverTimezone|characterEncoding)"
            + "=[A-Za-z0-9_\\-.]+)*)?");

    /**
     * The vault keys a store may read: its database password is sent to the host the admin names, so a store may
     * only name a key meant for it, never another module's secret or Keycloak's own (an SMTP or identity provider
     * password), as export routes and consent keep to theirs.
     */
    public static final String VAULT_KEY_PREFIX = "legacy-";
    private static final Pattern VAULT_EXPRESSION = Pattern.compile("\\$\\{vault\\.(.*)}");
    private static final Pattern VAULT_KEY = Pattern.compile(Pattern.quote(VAULT_KEY_PREFIX)
            + "[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    /**
     * An H2 database file, for demos and tests: accepted only inside the folder the operator names in the server
     * option {@code spi-storage--ciam-legacy-jdbc--h2-directory} (H2 runs in Keycloak's own process, so an admin's SQL
     * against it could read the server's files), without URL settings, opened read only and never created.
     */
    static final Pattern H2_FILE = Pattern.compile("jdbc:h2:file:((/[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*)+)");

    /** Which column holds what; {@code attributes} maps a column to a user attribute. */
    public record Columns(String username, String email, String emailVerified, String firstName, String lastName,
                          String password, Map<String, String> attributes, String roles, String groups) {
    }

    @Override
    public String toString() {
        return "LegacyStoreConfig[" + jdbcUrl + ", user " + user + "]"; // never the password
    }

    public static LegacyStoreConfig of(ComponentModel model) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String pair : model.getConfig().getOrDefault(ATTRIBUTE_COLUMNS, List.of())) {
            String[] parts = pair.split("=", 2);
            if (parts.length == 2 && !parts[0].isBlank() && !parts[1].isBlank()) {
                attributes.put(parts[0].strip(), parts[1].strip());
            }
        }
        return new LegacyStoreConfig(text(model, JDBC_URL, ""), text(model, USER, ""), text(model, PASSWORD, ""),
                number(model, POOL_SIZE, 8), Duration.ofSeconds(number(model, TIMEOUT_SECONDS, 2)),
                Duration.ofSeconds(number(model, OUTAGE_PAUSE_SECONDS, 10)),
                text(model, BY_USERNAME_SQL, "select * from customers where lower(username) = lower(?)"),
                text(model, BY_EMAIL_SQL, "select * from customers where lower(email) = lower(?)"),
                text(model, SEARCH_SQL, "select * from customers where lower(username) like ? or lower(email) like ? "
                        + "order by id"),
                text(model, COUNT_SQL, "select count(*) from customers where lower(username) like ? "
                        + "or lower(email) like ?"),
                new Columns(text(model, USERNAME_COLUMN, "username"), text(model, EMAIL_COLUMN, "email"),
                        text(model, EMAIL_VERIFIED_COLUMN, ""), text(model, FIRST_NAME_COLUMN, "first_name"),
                        text(model, LAST_NAME_COLUMN, "last_name"), text(model, PASSWORD_COLUMN, "password_hash"),
                        Map.copyOf(attributes), text(model, ROLES_COLUMN, ""), text(model, GROUPS_COLUMN, "")),
                !"false".equals(model.get(CHECK_POLICY_AT_MIGRATION)), Mode.of(model.get(MODE)),
                "true".equals(model.get(IMPORT_PASSWORD_HASHES)),
                Duration.ofSeconds(number(model, SYNC_ANSWER_SECONDS, 60)),
                number(model, FAILURE_FLOOR_MILLIS, 0));
    }

    /**
     * How long every failed sign-in in the store's realm takes at least (see {@link EqualFailureTime}): read on each
     * held failure, so it holds from a node's first request, before the node has checked a legacy password. A value
     * out of range holds nothing more (the admin console showed the problem when it was saved).
     */
    static Duration failureFloor(ComponentModel model) {
        int millis = number(model, FAILURE_FLOOR_MILLIS, 0);
        return Duration.ofMillis(millis < 0 || millis > MAX_FAILURE_FLOOR_MILLIS ? 0 : millis);
    }

    /** What is wrong with the settings, for the admin console; empty when nothing is. */
    public List<String> problems() {
        return problems(null);
    }

    /** The same, with H2 files allowed in {@code h2Directory} (null: not at all). */
    public List<String> problems(Path h2Directory) {
        List<String> problems = new java.util.ArrayList<>();
        if (isH2File()) {
            Path file = Path.of(H2_FILE.matcher(jdbcUrl).replaceFirst("$1")).normalize();
            // no segment starts with a dot (no ..); the folder itself would name a file beside it (legacy.mv.db)
            if (h2Directory == null || !file.startsWith(h2Directory) || file.equals(h2Directory)) {
                problems.add("H2 database files are for demos and tests: allowed only inside the folder of the "
                        + "server option spi-storage--ciam-legacy-jdbc--h2-directory"
                        + (h2Directory == null ? ", which is not set" : " (" + h2Directory + ")"));
            }
        } else if (!URL.matcher(jdbcUrl).matches()) {
            problems.add("The JDBC URL must be jdbc:postgresql://, jdbc:mariadb:// or jdbc:mysql://, then host[:port]"
                    + "/database and at most these properties: sslmode, ssl, sslMode, useSSL, requireSSL, "
                    + "currentSchema, ApplicationName, connectTimeout, socketTimeout, serverTimezone, characterEncoding "
                    + "(user and password have their own fields)");
        }
        Matcher vault = VAULT_EXPRESSION.matcher(passwordRef);
        if (vault.matches() && !VAULT_KEY.matcher(vault.group(1)).matches()) {
            problems.add("The database password may only read vault keys starting with '" + VAULT_KEY_PREFIX
                    + "' (files vault: file <realm>_" + VAULT_KEY_PREFIX + "<name>), written ${vault."
                    + VAULT_KEY_PREFIX + "<name>}");
        }
        if (poolSize < 1 || poolSize > 64) {
            problems.add("The pool size must be between 1 and 64");
        }
        if (timeout.toSeconds() < 1 || timeout.toSeconds() > 60) {
            problems.add("The timeout must be between 1 and 60 seconds");
        }
        if (outagePause.toSeconds() < 1 || outagePause.toSeconds() > 3600) {
            problems.add("The pause after a failure must be between 1 and 3600 seconds");
        }
        Map.of("lookup by username", byUsernameSql, "lookup by e-mail", byEmailSql, "search", searchSql,
                "count", countSql).forEach((what, sql) -> {
                    String lower = sql.strip().toLowerCase(Locale.ROOT);
                    if (!lower.startsWith("select ") || !sql.contains("?") || sql.contains(";")) {
                        problems.add("The SQL for " + what + " must be one select statement with ? parameters");
                    }
                });
        if (syncAnswer.toSeconds() < 1 || syncAnswer.toSeconds() > 240) {
            problems.add("The answer time of a synchronization must be between 1 and 240 seconds (Keycloak cancels "
                    + "the admin's request after 300)");
        }
        if (failureFloorMillis < 0 || failureFloorMillis > MAX_FAILURE_FLOOR_MILLIS) {
            problems.add("Failed sign-ins take at least: a number of milliseconds from 0 to "
                    + MAX_FAILURE_FLOOR_MILLIS);
        }
        if (mode == Mode.FEDERATED && importPasswordHashes) {
            problems.add("Password hashes are imported only in lazy migration: in federated mode the legacy database "
                    + "keeps checking passwords");
        }
        if (columns.username().isBlank() || columns.password().isBlank()) {
            problems.add("The username and password hash columns are required");
        }
        return problems;
    }

    /** The host a network URL names (the server connects there), or null for an H2 file or a URL not accepted. */
    public String host() {
        if (isH2File() || !URL.matcher(jdbcUrl).matches()) {
            return null;
        }
        int start = jdbcUrl.indexOf("//") + 2;
        int end = start;
        while (end < jdbcUrl.length() && jdbcUrl.charAt(end) != ':' && jdbcUrl.charAt(end) != '/') {
            end++;
        }
        return jdbcUrl.substring(start, end);
    }

    /** Whether the URL names an H2 database file (see {@link #H2_FILE}). */
    public boolean isH2File() {
        return H2_FILE.matcher(jdbcUrl).matches();
    }

    private static String text(ComponentModel model, String key, String fallback) {
        String value = model.get(key);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static int number(ComponentModel model, String key, int fallback) {
        try {
            return Integer.parseInt(text(model, key, String.valueOf(fallback)));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
