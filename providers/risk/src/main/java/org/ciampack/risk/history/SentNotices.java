package org.ciampack.risk.history;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.ciampack.common.FirstUseRows;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/** The "new sign-in" notices sent to each customer lately (CIAM_RISK_NOTICE), decided under a row lock. */
final class SentNotices {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Newest notices kept: some 60 characters each, well within the column. */
    private static final int KEPT = 50;
    private static final TypeReference<List<Stored>> LIST = new TypeReference<>() {
    };

    /** A sent notice as stored: key and epoch milliseconds. */
    record Stored(String key, long at) {
    }

    private SentNotices() {
    }

    /**
     * Whether a notice about {@code keys} may go out now, recording it if so; in a transaction of its own, so the
     * lock is held only while deciding, never while the mail is sent.
     */
    static boolean claim(KeycloakSessionFactory factory, String realmId, String userId, List<String> keys,
                         NoticeLimits limits, Instant now) {
        // A row a concurrent login made is as good: the lock below orders the two.
        FirstUseRows.ensure(factory, SentNoticesEntity.class, new SentNoticesEntity.Key(realmId, userId),
                () -> new SentNoticesEntity(realmId, userId));
        boolean[] claimed = {false};
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            EntityManager em = entityManager(session);
            SentNoticesEntity row = em.find(SentNoticesEntity.class, new SentNoticesEntity.Key(realmId, userId),
                    LockModeType.PESSIMISTIC_WRITE);
            List<NoticeLimits.Sent> updated = limits.send(read(row.sent()), keys, now);
            if (updated != null) {
                row.sent(write(updated));
                claimed[0] = true;
            }
        });
        return claimed[0];
    }

    static void removeUser(KeycloakSession session, String realmId, String userId) {
        entityManager(session).createNamedQuery("ciamRiskNotice.deleteUser")
                .setParameter("realmId", realmId).setParameter("userId", userId).executeUpdate();
    }

    static void removeRealm(KeycloakSession session, String realmId) {
        entityManager(session).createNamedQuery("ciamRiskNotice.deleteRealm")
                .setParameter("realmId", realmId).executeUpdate();
    }

    private static EntityManager entityManager(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    private static List<NoticeLimits.Sent> read(String json) {
        try {
            return JSON.readValue(json == null ? "[]" : json, LIST).stream()
                    .map(stored -> new NoticeLimits.Sent(stored.key(), Instant.ofEpochMilli(stored.at())))
                    .toList();
        } catch (IOException e) {
            return List.of(); // unreadable: start afresh rather than never tell the customer again
        }
    }

    private static String write(List<NoticeLimits.Sent> sent) {
        try {
            List<Stored> stored = sent.stream()
                    .map(notice -> new Stored(notice.key(), notice.at().toEpochMilli())).toList();
            return JSON.writeValueAsString(stored.subList(Math.max(0, stored.size() - KEPT), stored.size()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
