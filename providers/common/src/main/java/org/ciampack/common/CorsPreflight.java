package org.ciampack.common;

import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;

/**
 * Answers the CORS preflight browsers send before an app's cross-origin self-service call (one with an Authorization
 * header, or a DELETE/PUT). It grants nothing: the real call checks the token's client's web origins.
 */
public final class CorsPreflight {

    private final String[] methods;

    private CorsPreflight(String[] methods) {
        this.methods = methods;
    }

    /** This resource for a preflight request, else null: {@code return CorsPreflight.of(session, M) ?? this}. */
    public static CorsPreflight of(KeycloakSession session, String... methods) {
        return "OPTIONS".equals(session.getContext().getHttpRequest().getHttpMethod()) ? new CorsPreflight(methods) : null;
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflight() {
        return org.keycloak.services.cors.Cors.builder().auth().allowedMethods(methods).preflight().add(Response.ok());
    }
}
