package org.ciampack.federation;

import java.util.List;
import org.ciampack.common.TablesFactory;

/** Registers the record of imported legacy customers with Keycloak's database. */
public final class LegacyTablesFactory extends TablesFactory {

    public static final String ID = "ciam-federation";

    public LegacyTablesFactory() {
        super(ID, List.of(LegacyImportEntity.class));
    }
}
