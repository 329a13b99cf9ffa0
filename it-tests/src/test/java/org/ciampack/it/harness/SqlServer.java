package org.ciampack.it.harness;

import java.nio.file.Path;
import java.util.List;

/** A database server of the test's own (PostgreSQL, MariaDB): where it answers, SQL in and rows out, down and up. */
public interface SqlServer extends AutoCloseable {

    String jdbcUrl();

    /** The database as Keycloak names it ({@code kc.sh build --db=...}): postgres, mariadb. */
    String vendor();

    String user();

    /** The user's password; empty where the server trusts local connections. */
    String password();

    /** Runs SQL in the test database; returns the rows, one line each. */
    List<String> query(String sql);

    /** Runs a file of SQL in the test database; stops at the first error. */
    void load(Path sqlFile);

    /** Stops the server, its data kept; open connections are cut. */
    void pause();

    /** Starts it again on its port, with its data. */
    void resume();

    @Override
    void close();
}
