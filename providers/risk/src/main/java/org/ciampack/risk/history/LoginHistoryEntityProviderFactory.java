package org.ciampack.risk.history;

import java.util.List;
import org.ciampack.common.TablesFactory;

/** Registers the login history table with Keycloak's database: the entity, and the changelog that creates it. */
public final class LoginHistoryEntityProviderFactory extends TablesFactory {

    public static final String ID = "ciam-risk";

    public LoginHistoryEntityProviderFactory() {
        super(ID, List.of(LoginHistoryEntity.class, SentNoticesEntity.class));
    }
}
