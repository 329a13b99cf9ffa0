package org.ciampack.risk;

import javax.crypto.SecretKey;
import org.ciampack.common.RealmKey;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** The realm's active HMAC secret (see {@link RealmKey}): signs device cookies, keys address hashes. */
public final class RealmSecret {

    private RealmSecret() {
    }

    public static SecretKey of(KeycloakSession session, RealmModel realm) {
        return RealmKey.of(session, realm);
    }
}
