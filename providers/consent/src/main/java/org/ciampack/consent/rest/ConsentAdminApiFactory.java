package org.ciampack.consent.rest;

import org.ciampack.common.AdminApiFactory;
import org.ciampack.common.AdminCaller;
import org.keycloak.models.KeycloakSession;

/** Mounts {@link ConsentAdmin} in Keycloak's admin API, at {@code /admin/realms/{realm}/ciam-consent}. */
public final class ConsentAdminApiFactory extends AdminApiFactory {

    public ConsentAdminApiFactory() {
        super(ConsentResourceFactory.ID);
    }

    @Override
    protected Object resource(KeycloakSession session, AdminCaller caller) {
        return new ConsentAdmin(session, caller);
    }
}
