package org.ciampack.common;

/**
 * Keycloak's user ids: a UUID for the users it keeps, {@code f:<store id>:<id in the store>} for a user that a user
 * storage holds without importing (LDAP with import off, a read-only directory). Its federated tables take up to 255
 * characters, and so do the pack's columns; a longer id sent to an API names nobody and is not looked up.
 */
public final class UserIds {

    public static final int MAX_LENGTH = 255;

    private UserIds() {
    }

    /** Whether {@code id} may name a user: not empty, not longer than {@link #MAX_LENGTH}. */
    public static boolean mayName(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_LENGTH;
    }
}
