package org.ciampack.consent.rest;

import jakarta.ws.rs.NotAuthorizedException;
import org.keycloak.models.KeycloakSession;

/** The bearer token of a request, or 401. */
final class Bearer {

    private Bearer() {
    }

    static String token(KeycloakSession session) {
        String header = session.getContext().getRequestHeaders().getHeaderString("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 16_384) {
            throw new NotAuthorizedException("Bearer");
        }
        return header.substring(7).strip();
    }
}
