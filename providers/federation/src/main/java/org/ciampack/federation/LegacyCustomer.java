package org.ciampack.federation;

import java.util.Map;

/** A customer as the legacy database holds them, mapped by the configured columns. */
public record LegacyCustomer(String username, String email, boolean emailVerified, String firstName, String lastName,
                             String passwordHash, Map<String, String> attributes) {

    @Override
    public String toString() {
        return "LegacyCustomer[" + username + "]"; // never the hash, never the profile
    }
}
