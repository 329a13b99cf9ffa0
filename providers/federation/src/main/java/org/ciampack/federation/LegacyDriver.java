package org.ciampack.federation;

/**
 * The JDBC driver a legacy store's URL calls for: the class Keycloak ships, and whether it takes the pack's
 * {@link CheckedSocketFactory} (PostgreSQL's and MariaDB's take a {@link javax.net.SocketFactory}; MySQL's takes a
 * socket factory of its own kind; an H2 file opens no socket).
 */
enum LegacyDriver {
    POSTGRESQL("org.postgresql.Driver", true),
    MARIADB("org.mariadb.jdbc.Driver", true),
    MYSQL("com.mysql.cj.jdbc.Driver", false),
    H2("org.h2.Driver", false);

    final String className;
    final boolean checkedSockets;

    LegacyDriver(String className, boolean checkedSockets) {
        this.className = className;
        this.checkedSockets = checkedSockets;
    }

    static LegacyDriver of(LegacyStoreConfig config) {
        String url = config.jdbcUrl();
        return url.startsWith("jdbc:postgresql:") ? POSTGRESQL
                : url.startsWith("jdbc:mariadb:") ? MARIADB
                : config.isH2File() ? H2 : MYSQL;
    }
}
