package org.ciampack.events.outbox;

import java.util.List;
import org.ciampack.common.TablesFactory;

/** Registers the export tables with Keycloak's database: outbox, deliveries, route state, and their changelog. */
public final class ExportEntityProviderFactory extends TablesFactory {

    public static final String ID = "ciam-events";

    public ExportEntityProviderFactory() {
        super(ID, List.of(OutboxEntity.class, DeliveryEntity.class, RouteStateEntity.class));
    }
}
