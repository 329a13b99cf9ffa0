package org.ciampack.federation;

import java.util.function.BooleanSupplier;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * Checks a password against a legacy hash imported as a Keycloak credential (algorithm {@value #ID}): any format
 * {@link LegacyPasswordHash} knows, read from the stored value. It never satisfies a password policy, so Keycloak
 * re-hashes the password with the realm's own algorithm at the first successful login, and never makes a hash:
 * legacy formats are checked, not written.
 */
final class LegacyHashProvider implements PasswordHashProvider {

    static final String ID = "ciam-legacy";

    private final KeycloakSession session;

    LegacyHashProvider(KeycloakSession session) {
        this.session = session;
    }

    /**
     * A wrong password is hashed once more with the realm's own algorithm, as Keycloak does for an unknown address,
     * and the check is timed so that {@link EqualFailureTime} holds the other failures as long.
     */
    @Override
    public boolean verify(String rawPassword, PasswordCredentialModel credential) {
        RealmModel realm = session.getContext().getRealm();
        BooleanSupplier check = () -> LegacyPasswordHash.parse(credential.getPasswordSecretData().getValue())
                .map(hash -> hash.matches(rawPassword))
                .orElse(false);
        if (realm == null) { // not in a request: nobody to answer
            return check.getAsBoolean();
        }
        boolean matches = EqualFailureTime.check(session, realm.getId(), check);
        if (!matches) {
            new PasswordMigration(session, false).hashOnce(realm, rawPassword);
        }
        return matches;
    }

    @Override
    public boolean policyCheck(PasswordPolicy policy, PasswordCredentialModel credential) {
        return false;
    }

    @Override
    public PasswordCredentialModel encodedCredential(String rawPassword, int iterations) {
        throw new ModelException(ID + " only checks imported legacy hashes; the password policy's hashing algorithm "
                + "must be another one (argon2, pbkdf2-sha512)");
    }

    /** The imported credential of a legacy hash; its format is told from the value when it is checked. */
    static PasswordCredentialModel credential(LegacyPasswordHash hash) {
        PasswordCredentialModel credential = PasswordCredentialModel.createFromValues(ID, new byte[0], 0,
                hash.stored());
        credential.setCreatedDate(System.currentTimeMillis());
        return credential;
    }

    @Override
    public void close() {
    }
}
