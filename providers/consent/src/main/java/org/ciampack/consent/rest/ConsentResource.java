package org.ciampack.consent.rest;

import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.resource.RealmResourceProvider;

/** {@code /realms/<realm>/ciam-consent}: {@code me} for the signed-in user, {@code admin} for administrators. */
public final class ConsentResource implements RealmResourceProvider {

    private final KeycloakSession session;

    ConsentResource(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @Path("me")
    public Object me() {
        // Browsers ask before a cross-origin call with an Authorization header; the real call checks the origin.
        return "OPTIONS".equals(session.getContext().getHttpRequest().getHttpMethod()) ? new Preflight()
                : new SelfService(session);
    }

    @Path("admin")
    public ConsentAdmin admin() {
        return new ConsentAdmin(session);
    }

    /** Answers CORS preflights of the self-service API. */
    public static final class Preflight {
        @OPTIONS
        @Path("{any:.*}")
        public Response preflight() {
            return Cors.builder().auth().allowedMethods(SelfService.METHODS).preflight().add(Response.ok());
        }
    }

    @Override
    public void close() {
    }
}
