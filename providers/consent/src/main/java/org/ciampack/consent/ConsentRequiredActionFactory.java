package org.ciampack.consent;

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
 * ledger in step with Keycloak: a removed user's receipts become pseudonymous (or go), a removed realm's go.
 */
public final class ConsentRequiredActionFactory implements RequiredActionFactory {

    public static final String ID = "ciam-consent";
    private static final ConsentRequiredAction ACTION = new ConsentRequiredAction();

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
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(UserDeletions.everyDeletion((session, realm, userId) -> {
            ConsentSettings settings = ConsentSettings.read(realm.getAttribute(ConsentSettings.ATTRIBUTE));
            String pseudonym = settings.onUserRemoved() == ConsentSettings.OnUserRemoved.PSEUDONYMIZE
                    ? ReceiptPseudonyms.of(session, realm, settings, userId) : null;
            new ConsentLedger(session).forgetUser(realm.getId(), userId, settings.onUserRemoved(), pseudonym);
        }));
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                new ConsentLedger(removed.getKeycloakSession()).forgetRealm(removed.getRealm().getId());
            }
        });
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
