package org.ciampack.profiling;

import java.util.List;
import org.ciampack.common.TablesFactory;

/** Registers the profiling state table with Keycloak's database. */
public final class ProfilingEntityProviderFactory extends TablesFactory {

    public static final String ID = "ciam-profiling";

    public ProfilingEntityProviderFactory() {
        super(ID, List.of(ProfilingStateEntity.class));
    }
}
