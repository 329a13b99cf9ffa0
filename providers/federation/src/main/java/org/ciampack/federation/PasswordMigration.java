package org.ciampack.federation;

import org.jboss.logging.Logger;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.PasswordCredentialProvider;
import org.keycloak.credential.PasswordCredentialProviderFactory;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;

/**
 * A legacy customer's first good password, moved into Keycloak: the link to the legacy store removed, the password
 * hashed by the realm's policy (algorithm and iterations) and stored as their own credential. A password the
 * realm's policy refuses (too short, breached list, ...) is still stored, so the customer is not locked out, and
 * when the store says so they must change it before they continue. An {@code UPDATE_CREDENTIAL} event with the
 * detail {@code ciam_migrated} tells event listeners (the export, for the CRM).
 */
final class PasswordMigration {

    static final String MIGRATED_DETAIL = "ciam_migrated";
    private static final Logger LOG = Logger.getLogger(PasswordMigration.class);

    private final KeycloakSession session;
    private final boolean checkPolicy;

    PasswordMigration(KeycloakSession session, boolean checkPolicy) {
        this.session = session;
        this.checkPolicy = checkPolicy;
    }

    /**
     * Stores the password as the customer's own credential. Timed as legacy work (a failure later in the request, e.g.
     * the risk step's refusal, must not answer later than a wrong password), its realm hash as such.
     */
    void migrate(RealmModel realm, UserModel user, String password) {
        EqualFailureTime.timed(session, () -> {
            store(realm, user, password);
            return null;
        });
    }

    private void store(RealmModel realm, UserModel user, String password) {
        String source = user.getFederationLink();
        user.setFederationLink(null); // first: a credential update would go to the linked store otherwise
        // checked before the password is stored: a history policy would otherwise find it among the old ones
        PolicyError refused = checkPolicy
                ? session.getProvider(PasswordPolicyManagerProvider.class).validate(realm, user, password) : null;
        PasswordPolicy policy = realm.getPasswordPolicy();
        PasswordCredentialModel credential = EqualFailureTime.realmHash(session, realm.getId(),
                () -> hashing(realm).encodedCredential(password, policy.getHashIterations()));
        ((PasswordCredentialProvider) session.getProvider(CredentialProvider.class,
                PasswordCredentialProviderFactory.PROVIDER_ID)).createCredential(realm, user, credential);
        if (refused != null) {
            user.addRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
        }
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection());
        if (session.getContext().getClient() != null) {
            event.client(session.getContext().getClient());
        }
        event.event(EventType.UPDATE_CREDENTIAL)
                .user(user)
                .detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.TYPE)
                .detail(MIGRATED_DETAIL, "true")
                .detail("ciam_migrated_from", source)
                .detail("ciam_password_change_required", String.valueOf(refused != null))
                .success();
        LOG.debugf("Realm %s: legacy customer %s migrated", realm.getName(), user.getId());
    }

    /** The realm's password hash of a wrong password, thrown away: the same time as Keycloak's own check. */
    void hashOnce(RealmModel realm, String password) {
        EqualFailureTime.realmHash(session, realm.getId(), () -> hashing(realm)
                .encodedCredential(password == null ? "" : password, realm.getPasswordPolicy().getHashIterations()));
    }

    private PasswordHashProvider hashing(RealmModel realm) {
        String algorithm = realm.getPasswordPolicy().getHashAlgorithm();
        return algorithm == null
                ? session.getProvider(PasswordHashProvider.class) // the server's default, as Keycloak does
                : session.getProvider(PasswordHashProvider.class, algorithm);
    }
}
