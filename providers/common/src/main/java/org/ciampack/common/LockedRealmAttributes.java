package org.ciampack.common;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.NotFoundException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

    /** The names of the realm's attributes that start with {@code prefix}, as committed now, the realm's row locked. */
    public static Set<String> namesStartingWith(KeycloakSession session, RealmModel realm, String prefix) {
        EntityManager em = lockRealm(session, realm);
        // Locking reads, which see the latest commit under REPEATABLE READ too; of the realm's own rows only, with the
        // prefix matched here: a LIKE would lock index ranges of other realms on InnoDB, and ignore case there.
        Set<String> names = new TreeSet<>();
        for (RealmAttributeEntity attribute : em.createQuery("select a from RealmAttributeEntity a "
                        + "where a.realm.id = :realm", RealmAttributeEntity.class)
                .setParameter("realm", realm.getId())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()) {
            if (attribute.getName().startsWith(prefix)) {
                names.add(attribute.getName());
            }
        }
        return names;
    }

    private static EntityManager lockRealm(KeycloakSession session, RealmModel realm) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        // A locking query, not a find: a realm removed since this request found it is no row (a 404), where a find of
        // a row the request has loaded already would fail on the lock.
        List<RealmEntity> rows = em.createQuery("select r from RealmEntity r where r.id = :id", RealmEntity.class)
                .setParameter("id", realm.getId()).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        if (rows.isEmpty()) {
            throw new NotFoundException("Realm not found.");
        }
        // a refresh, not a plain read: the row and its attributes as they are now, not as this request first saw them
        em.refresh(rows.get(0), LockModeType.PESSIMISTIC_WRITE);
        return em;
    }
}
