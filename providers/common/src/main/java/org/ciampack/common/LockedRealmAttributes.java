package org.ciampack.common;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.jpa.entities.RealmAttributeEntity;
import org.keycloak.models.jpa.entities.RealmEntity;

/**
 * Realm attributes that admins change by reading, checking and writing (the purpose catalog, the consent settings,
 * the export routes and their cap): read under a lock on the realm's row, from the database rather than the realm
 * cache, so that two admins' edits at once follow each other instead of the second silently undoing the first, or
 * both passing a limit that only one fits under. The lock lasts until the request's transaction ends, after the
 * write. Keycloak writes the attribute through the realm's own model, which keeps its cache right; the one case this
 * does not order is two edits at once that both create the same attribute: one of them fails and is tried again.
 */
public final class LockedRealmAttributes {

    private LockedRealmAttributes() {
    }

    /** The attribute's value as committed now, the realm's row locked; null when the realm has none. */
    public static String read(KeycloakSession session, RealmModel realm, String name) {
        EntityManager em = lockRealm(session, realm);
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

    /** How many attributes whose name starts with {@code prefix} the realm has as committed now, its row locked. */
    public static int countStartingWith(KeycloakSession session, RealmModel realm, String prefix) {
        EntityManager em = lockRealm(session, realm);
        // entities, not a count: a locking read is what sees the latest commit under REPEATABLE READ
        return em.createQuery("select a from RealmAttributeEntity a where a.realm.id = :realm "
                        + "and a.name like :prefix escape '\\'", RealmAttributeEntity.class)
                .setParameter("realm", realm.getId())
                .setParameter("prefix", prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList().size();
    }

    private static EntityManager lockRealm(KeycloakSession session, RealmModel realm) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        RealmEntity row = em.find(RealmEntity.class, realm.getId(), LockModeType.PESSIMISTIC_WRITE);
        // a refresh, not a plain lock: the row and its attributes as they are now, not as this request first saw them
        em.refresh(row, LockModeType.PESSIMISTIC_WRITE);
        return em;
    }
}
