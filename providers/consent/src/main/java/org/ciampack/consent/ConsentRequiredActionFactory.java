package org.ciampack.consent;

import java.time.Duration;
import java.util.List;
import org.ciampack.common.OrphanSweep;
import org.ciampack.common.UserDeletions;
import org.ciampack.consent.ledger.ConsentLedger;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

/**
 * "CIAM consent": the required action that asks for new or changed consents at login. Its factory also keeps the
 * ledger in step with Keycloak: a removed user's receipts become pseudonymous (or go), a removed realm's go; those of
 * users Keycloak removed in bulk with the next sweeps ({@code --spi-required-action--ciam-consent--orphan-sweep-seconds},
 * default 21600: six hours).
 */
public final class ConsentRequiredActionFactory implements RequiredActionFactory {

    public static final String ID = "ciam-consent";
    private static final ConsentRequiredAction ACTION = new ConsentRequiredAction();

    private Duration orphanSweep;
    private OrphanSweep sweep;

    @Override
    public String getDisplayText() {
        return "CIAM consent";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return ACTION;
    }

    @Override
    public void init(Config.Scope config) {
        orphanSweep = OrphanSweep.interval(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        UserDeletions.Cleanup cleanup = (session, realm, userId) -> {
            ConsentSettings settings = ConsentSettings.read(realm.getAttribute(ConsentSettings.ATTRIBUTE));
            String pseudonym = settings.onUserRemoved() == ConsentSettings.OnUserRemoved.PSEUDONYMIZE
                    ? ReceiptPseudonyms.of(session, realm, settings, userId) : null;
            new ConsentLedger(session).forgetUser(realm.getId(), userId, settings.onUserRemoved(), pseudonym);
        };
        factory.register(UserDeletions.everyDeletion(cleanup));
        // every user with receipts has a standing (receipts are appended under its lock): one table to read
        sweep = OrphanSweep.schedule(factory, "consent", orphanSweep, List.of(new OrphanSweep.Table("SubjectEntity")),
                cleanup);
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                new ConsentLedger(removed.getKeycloakSession()).forgetRealm(removed.getRealm().getId());
            }
        });
    }

    @Override
    public void close() {
        OrphanSweep.stop(sweep);
    }

    @Override
    public String getId() {
        return ID;
    }
}
