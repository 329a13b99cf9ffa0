package org.ciampack.common;

/**
 * Names one module writes and another reads through Keycloak (auth-session notes, event details), so modules need not
 * import each other: the writer and the reader both name the constant here.
 */
public final class AuthNotes {

    /** The risk step's level for this login ({@code low}, {@code medium}, {@code high}); read by profiling and consent. */
    public static final String RISK_LEVEL = "ciam.risk.level";

    private AuthNotes() {
    }
}
