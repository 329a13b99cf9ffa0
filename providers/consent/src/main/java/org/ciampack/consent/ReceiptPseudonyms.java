package org.ciampack.consent;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.SecretKey;
import org.ciampack.common.RealmKey;
import org.ciampack.consent.ledger.Pseudonym;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.vault.VaultStringSecret;

/**
 * Picks the key for a deleted user's pseudonym. First the realm's vault secret named in the consent settings
 * ({@code pseudonymKey}, by default {@code ${vault.consent-pseudonym-key}}): it lives outside the database, so a
 * copy of the database alone cannot link receipts to user ids. Without it, a key derived from the realm's active
 * HS512 key: still keyed, but it is stored in the database and rotates, so the operator is told to put a key in the
 * vault. Without
 * either, a random pseudonym: the proof stays, the link is gone.
 */
public final class ReceiptPseudonyms {

    private static final Logger LOG = Logger.getLogger(ReceiptPseudonyms.class);
    /** What the pseudonym key derived from the realm's HS512 key is for. */
    private static final String PSEUDONYM_KEY_LABEL = "ciam-consent-pseudonym-key";

    private ReceiptPseudonyms() {
    }

    public static String of(KeycloakSession session, RealmModel realm, ConsentSettings settings, String userId) {
        return keyed(session, realm, settings, userId).orElseGet(() -> {
            LOG.warnf("realm %s: no consent pseudonym key in the vault (%s) and no HS512 key; the removed user's "
                    + "receipts get a random pseudonym", realm.getName(), settings.pseudonymKey());
            return Pseudonym.unlinkable();
        });
    }

    /** The keyed pseudonym of this user id (what their receipts carry once the user is removed), if a key exists. */
    public static Optional<String> keyed(KeycloakSession session, RealmModel realm, ConsentSettings settings,
            String userId) {
        byte[] vaultKey = vaultKey(session, realm, settings.pseudonymKey());
        if (vaultKey != null) {
            return Optional.of(Pseudonym.keyed(Pseudonym.VAULT, vaultKey, userId));
        }
        SecretKey secret = RealmKey.find(session, realm).orElse(null);
        if (secret == null) {
            return Optional.empty();
        }
        LOG.warnf("realm %s: no consent pseudonym key in the vault (%s); pseudonyms are keyed with the realm's HS512 "
                + "key instead", realm.getName(), settings.pseudonymKey());
        // A key of its own, derived from the realm's: the realm key also signs device cookies and page tokens, and
        // an admin's look-up of any text must not hand out such a signature.
        return Optional.of(Pseudonym.keyed(Pseudonym.REALM, RealmKey.mac(secret, PSEUDONYM_KEY_LABEL), userId));
    }

    /** The secret, read in a session of its own whose realm is the user's: Keycloak's vault reads that realm's files. */
    private static byte[] vaultKey(KeycloakSession session, RealmModel realm, String reference) {
        AtomicReference<byte[]> key = new AtomicReference<>();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), other -> {
                RealmModel same = other.realms().getRealm(realm.getId());
                if (same == null) {
                    return;
                }
                other.getContext().setRealm(same);
                try (VaultStringSecret secret = other.vault().getStringSecret(reference)) {
                    secret.get().filter(text -> !text.isBlank())
                            .ifPresent(text -> key.set(text.getBytes(StandardCharsets.UTF_8)));
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("realm %s: the vault could not be read for the consent pseudonym key: %s", realm.getName(),
                    e.getClass().getSimpleName());
        }
        return key.get();
    }
}
