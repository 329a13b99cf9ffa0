package org.ciampack.events.admin;

import org.ciampack.common.AdminApiFactory;
import org.ciampack.common.AdminCaller;
import org.keycloak.models.KeycloakSession;

/** Mounts the export's admin REST API in Keycloak's admin API, at {@code /admin/realms/<realm>/ciam-export}. */
public final class ExportResourceFactory extends AdminApiFactory {

    public static final String ID = "ciam-export";

    public ExportResourceFactory() {
        super(ID);
    }

    @Override
    protected Object resource(KeycloakSession session, AdminCaller caller) {
        return new ExportResource(session, caller);
    }
}
