package org.ciampack.risk;

import javax.crypto.SecretKey;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** The realm's active HMAC secret (Keycloak's generated HS512 key): signs device cookies, keys address hashes. */
public final class RealmSecret {

    private RealmSecret() {
    }

    public static SecretKey of(KeycloakSession session, RealmModel realm) {
        KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        if (key == null || key.getSecretKey() == null) {
            throw new IllegalStateException("realm " + realm.getName() + " has no active HS512 key");
        }
        return key.getSecretKey();
    }
}
