package org.ciampack.consent.rest;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.jpa.entities.RealmAttributeEntity;
import org.keycloak.models.jpa.entities.RealmEntity;

/**
 * A realm attribute that admins change by reading, editing and writing it back (the purpose catalog, the consent
 * settings): read under a lock on the realm's row, from the database rather than the realm cache, so that two
 * admins' edits at once follow each other instead of the second silently undoing the first. The lock lasts until
 * the request's transaction ends, after the write. Keycloak writes the attribute through the realm's own model,
 * which keeps its cache right; the one case this does not order is a realm's very first two edits at once (both
 * would create the attribute): one of them fails and is tried again.
 */
final class LockedRealmAttribute {

    private LockedRealmAttribute() {
    }

    static String read(KeycloakSession session, RealmModel realm, String name) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        RealmEntity row = em.find(RealmEntity.class, realm.getId(), LockModeType.PESSIMISTIC_WRITE);
        // a refresh, not a plain lock: the row and its attributes as they are now, not as this request first saw them
        em.refresh(row, LockModeType.PESSIMISTIC_WRITE);
        // A locking read of the attribute too: under REPEATABLE READ (MariaDB, MySQL) a plain read would still see
        // the snapshot this transaction began with, not the value the edit before this one committed.
        for (RealmAttributeEntity attribute : em.createQuery("select a from RealmAttributeEntity a "
                        + "where a.realm.id = :realm and a.name = :name", RealmAttributeEntity.class)
                .setParameter("realm", realm.getId()).setParameter("name", name).getResultList()) {
            em.refresh(attribute, LockModeType.PESSIMISTIC_WRITE);
            return attribute.getValue();
        }
        return null;
    }
}
