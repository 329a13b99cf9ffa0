package org.ciampack.consent.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.ciampack.consent.Choice;
import org.ciampack.consent.ConsentSettings;
import org.ciampack.consent.ConsentState;
import org.ciampack.consent.Decision;
import org.ciampack.consent.DecisionOrigin;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The consent ledger of one Keycloak session: appends receipts, reads a user's standing and history, and keeps
 * the standing in step. Every write happens with the user's subject row locked, so decisions taken at the same
 * moment are numbered one after the other and none is lost.
 */
public final class ConsentLedger {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakSession session;
    private final EntityManager em;

    public ConsentLedger(KeycloakSession session) {
        this.session = session;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** The user's standing: one row read, no ledger scan. */
    public ConsentState state(String realmId, String userId) {
        SubjectEntity subject = em.find(SubjectEntity.class, new SubjectEntity.Key(realmId, userId));
        return subject == null ? ConsentState.none() : state(subject);
    }

    /**
     * Appends one receipt per choice and updates the standing. {@code newUser}: the user was created in this very
     * transaction (registration), so nobody else can be writing for them yet.
     */
    public List<ReceiptEntity> record(String realmId, String userId, Collection<Choice> choices, DecisionOrigin origin,
            boolean newUser) {
        SubjectEntity subject = lock(realmId, userId, newUser);
        ObjectNode latest = (ObjectNode) read(subject.getLatest());
        long now = System.currentTimeMillis();
        List<ReceiptEntity> receipts = new ArrayList<>();
        for (Choice choice : choices) {
            ReceiptEntity receipt = new ReceiptEntity(UUID.randomUUID().toString(), realmId, userId, subject.nextSeq(),
                    choice.purpose(), choice.version(), choice.decision().id(), now, origin.source().id(),
                    origin.clientId(), origin.ipAddress(), origin.userAgent());
            em.persist(receipt);
            receipts.add(receipt);
            latest.putObject(choice.purpose()).put("v", choice.version()).put("d", choice.decision().id())
                    .put("t", now).put("s", receipt.getSeq());
        }
        subject.setLatest(latest.toString());
        return receipts;
    }

    /** Asks these users to decide again on a purpose at their next login (no new version needed). */
    public int requestAgain(String realmId, Collection<String> userIds, String purpose, Instant when) {
        int asked = 0;
        for (String userId : userIds) {
            SubjectEntity subject = lock(realmId, userId, false);
            ObjectNode requests = (ObjectNode) read(subject.getRequests());
            requests.put(purpose, when.toEpochMilli());
            subject.setRequests(requests.toString());
            asked++;
        }
        return asked;
    }

    /** The user's receipts, newest first. */
    public List<ReceiptEntity> history(String realmId, String userId, int max) {
        return em.createNamedQuery("ciamReceipt.ofUser", ReceiptEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId)
                .setMaxResults(max).getResultList();
    }

    /** Receipts of the realm decided in [from, to), oldest first, read a page at a time. */
    public Stream<ReceiptEntity> inRange(String realmId, long from, long to) {
        return em.createNamedQuery("ciamReceipt.inRange", ReceiptEntity.class)
                .setParameter("realmId", realmId).setParameter("from", from).setParameter("to", to)
                .setHint("org.hibernate.fetchSize", 500)
                .getResultStream();
    }

    /** Receipts per purpose, version and decision. */
    public List<Object[]> counts(String realmId) {
        return em.createNamedQuery("ciamReceipt.counts", Object[].class).setParameter("realmId", realmId).getResultList();
    }

    /**
     * A deleted user's receipts: kept as pseudonymous proof (user id replaced by a one-way hash of realm and user
     * id, so an auditor who knows the id can still find them; IP and user agent dropped), or removed.
     */
    public void forgetUser(String realmId, String userId, ConsentSettings.OnUserRemoved policy) {
        if (policy == ConsentSettings.OnUserRemoved.DELETE) {
            em.createNamedQuery("ciamReceipt.deleteUser").setParameter("realmId", realmId)
                    .setParameter("userId", userId).executeUpdate();
        } else {
            em.createNamedQuery("ciamReceipt.pseudonymize").setParameter("realmId", realmId)
                    .setParameter("userId", userId).setParameter("pseudonym", pseudonym(realmId, userId)).executeUpdate();
        }
        em.createNamedQuery("ciamSubject.deleteUser").setParameter("realmId", realmId)
                .setParameter("userId", userId).executeUpdate();
    }

    public void forgetRealm(String realmId) {
        em.createNamedQuery("ciamReceipt.deleteRealm").setParameter("realmId", realmId).executeUpdate();
        em.createNamedQuery("ciamSubject.deleteRealm").setParameter("realmId", realmId).executeUpdate();
    }

    public static String pseudonym(String realmId, String userId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((realmId + "/" + userId).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash, 0, 28);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private SubjectEntity lock(String realmId, String userId, boolean newUser) {
        SubjectEntity.Key key = new SubjectEntity.Key(realmId, userId);
        SubjectEntity subject = em.find(SubjectEntity.class, key, LockModeType.PESSIMISTIC_WRITE);
        if (subject != null) {
            return subject;
        }
        if (newUser) {
            subject = new SubjectEntity(realmId, userId);
            em.persist(subject);
            return subject;
        }
        // Made in a transaction of its own: two first decisions at once must not both insert the row.
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), other -> {
                EntityManager otherEm = other.getProvider(JpaConnectionProvider.class).getEntityManager();
                if (otherEm.find(SubjectEntity.class, key) == null) {
                    otherEm.persist(new SubjectEntity(realmId, userId));
                }
            });
        } catch (RuntimeException e) {
            // the other decision made it first: lock theirs
        }
        return em.find(SubjectEntity.class, key, LockModeType.PESSIMISTIC_WRITE);
    }

    private static ConsentState state(SubjectEntity subject) {
        Map<String, ConsentState.Latest> latest = new HashMap<>();
        read(subject.getLatest()).fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            Decision.parse(value.path("d").asText()).ifPresent(decision -> latest.put(entry.getKey(),
                    new ConsentState.Latest(value.path("v").asInt(), decision,
                            Instant.ofEpochMilli(value.path("t").asLong()), value.path("s").asLong())));
        });
        Map<String, Instant> requests = new HashMap<>();
        read(subject.getRequests()).fields().forEachRemaining(entry ->
                requests.put(entry.getKey(), Instant.ofEpochMilli(entry.getValue().asLong())));
        return new ConsentState(latest, requests);
    }

    private static JsonNode read(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node != null && node.isObject() ? node : JSON.createObjectNode();
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
