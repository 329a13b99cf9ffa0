package org.ciampack.federation;

import java.util.List;
import java.util.Map;

/**
 * A customer as the legacy database holds them, mapped by the configured columns; {@code roles} and {@code groups}
 * are the names the roles and groups columns list (comma-separated there).
 */
public record LegacyCustomer(String username, String email, boolean emailVerified, String firstName, String lastName,
                             String passwordHash, Map<String, String> attributes, List<String> roles,
                             List<String> groups) {

    @Override
    public String toString() {
        return "LegacyCustomer[" + username + "]"; // never the hash, never the profile
    }
}
