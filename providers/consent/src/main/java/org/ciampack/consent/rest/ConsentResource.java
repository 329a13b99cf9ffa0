package org.ciampack.consent.rest;

import jakarta.ws.rs.Path;
import org.ciampack.common.CorsPreflight;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** {@code /realms/<realm>/ciam-consent/me}, for the signed-in user; administrators use {@link ConsentAdminApiFactory}. */
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
        CorsPreflight preflight = CorsPreflight.of(session, SelfService.METHODS);
        return preflight != null ? preflight : new SelfService(session);
    }

    @Override
    public void close() {
    }
}
