package org.ciampack.consent.ledger;

import java.util.List;
import org.ciampack.common.TablesFactory;

/** Registers the consent ledger's tables with Keycloak's database. */
public final class ConsentEntityProviderFactory extends TablesFactory {

    public static final String ID = "ciam-consent";

    public ConsentEntityProviderFactory() {
        super(ID, List.of(ReceiptEntity.class, SubjectEntity.class));
    }
}
