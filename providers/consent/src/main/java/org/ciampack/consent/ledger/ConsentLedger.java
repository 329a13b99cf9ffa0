package org.ciampack.consent.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ciampack.common.FirstUseRows;
import org.ciampack.consent.Choice;
import org.ciampack.consent.ConsentSettings;
import org.ciampack.consent.ConsentState;
import org.ciampack.consent.Decision;
import org.ciampack.consent.DecisionOrigin;
import org.ciampack.consent.Source;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

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
     * Locks the user's standing until the transaction ends, so decisions taken at the same moment (on any node)
     * are weighed and numbered one after the other. {@code newUser}: the user was created in this very
     * transaction (registration), so nobody else can be writing for them yet.
     */
    public Standing lock(String realmId, String userId, boolean newUser) {
        return new Standing(lockSubject(realmId, userId, newUser));
    }

    /** A user's standing, locked: what it is now, and the receipts that change it. */
    public final class Standing {
        private final SubjectEntity subject;

        private Standing(SubjectEntity subject) {
            this.subject = subject;
        }

        public ConsentState state() {
            return ConsentLedger.state(subject);
        }

        /** Appends one receipt per choice and updates the standing. */
        public List<ReceiptEntity> append(Collection<Choice> choices, DecisionOrigin origin) {
            ObjectNode latest = (ObjectNode) read(subject.getLatest());
            long now = System.currentTimeMillis();
            List<ReceiptEntity> receipts = new ArrayList<>();
            for (Choice choice : choices) {
                ReceiptEntity receipt = new ReceiptEntity(UUID.randomUUID().toString(), subject.getRealmId(),
                        subject.getUserId(), subject.nextSeq(), choice.purpose(), choice.version(),
                        choice.decision().id(), now, origin.source().id(), origin.clientId(), origin.ipAddress(),
                        origin.userAgent());
                em.persist(receipt);
                receipts.add(receipt);
                latest.putObject(choice.purpose()).put("v", choice.version()).put("d", choice.decision().id())
                        .put("t", now).put("s", receipt.getSeq());
            }
            subject.setLatest(latest.toString());
            if (!em.contains(subject)) {
                em.persist(subject); // a new user's row, written once with its standing
            }
            return receipts;
        }
    }

    /** How many receipts of one source the user got since then, and when the oldest of them was written. */
    public record Recent(long count, Instant oldest) {
    }

    /**
     * Read with a lock, as the standing is: on MariaDB and MySQL a plain read keeps the transaction's first snapshot,
     * taken before the standing's lock was granted, and would miss the receipts of requests that held the lock
     * meanwhile; a rate counted on it lets a burst of parallel requests through. Call it with the standing locked.
     */
    public Recent since(String realmId, String userId, Source source, Instant since) {
        List<Long> times = em.createNamedQuery("ciamReceipt.recent", Long.class).setParameter("realmId", realmId)
                .setParameter("userId", userId).setParameter("source", source.id())
                .setParameter("since", since.toEpochMilli()).setLockMode(LockModeType.PESSIMISTIC_READ).getResultList();
        return new Recent(times.size(), times.stream().min(Long::compare).map(Instant::ofEpochMilli).orElse(null));
    }

    /** Asks these users to decide again on a purpose at their next login (no new version needed). */
    public int requestAgain(String realmId, Collection<String> userIds, String purpose, Instant when) {
        int asked = 0;
        for (String userId : userIds) {
            SubjectEntity subject = lockSubject(realmId, userId, false);
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

    /**
     * Hands the realm's receipts decided in [from, to), oldest first, to {@code reader}, a page at a time: each page
     * is a query of its own that starts after the last receipt of the one before (by time and id, so no offset
     * scan), and its receipts leave the persistence context once read. Memory stays the same for any number.
     */
    public long forEachInRange(String realmId, long from, long to, int pageSize, ReceiptReader reader)
            throws java.io.IOException {
        long count = 0;
        ReceiptEntity last = null;
        while (true) {
            var query = last == null
                    ? em.createNamedQuery("ciamReceipt.firstPage", ReceiptEntity.class).setParameter("from", from)
                    : em.createNamedQuery("ciamReceipt.nextPage", ReceiptEntity.class)
                            .setParameter("afterAt", last.getDecidedAt()).setParameter("afterId", last.getId());
            List<ReceiptEntity> page = query.setParameter("realmId", realmId).setParameter("to", to)
                    .setMaxResults(pageSize).getResultList();
            for (ReceiptEntity receipt : page) {
                reader.read(receipt);
                em.detach(receipt);
            }
            count += page.size();
            if (page.size() < pageSize) {
                return count;
            }
            last = page.get(page.size() - 1);
        }
    }

    /** Takes one receipt of a page. */
    @FunctionalInterface
    public interface ReceiptReader {
        void read(ReceiptEntity receipt) throws java.io.IOException;
    }

    /** The highest version of a purpose any receipt of the realm records a decision on; 0 for none. */
    public int highestVersion(String realmId, String purpose) {
        Number highest = em.createNamedQuery("ciamReceipt.highestVersion", Number.class)
                .setParameter("realmId", realmId).setParameter("purpose", purpose).getSingleResult();
        return highest == null ? 0 : highest.intValue();
    }

    /** Receipts per purpose, version and decision. */
    public List<Object[]> counts(String realmId) {
        return em.createNamedQuery("ciamReceipt.counts", Object[].class).setParameter("realmId", realmId).getResultList();
    }

    /**
     * A deleted user's receipts: kept as pseudonymous proof (user id replaced by {@code pseudonym}, a keyed hash
     * of the id; IP and user agent dropped), or removed.
     */
    public void forgetUser(String realmId, String userId, ConsentSettings.OnUserRemoved policy, String pseudonym) {
        // The subject row first, as appends take it: a receipt appended meanwhile is committed before this reads the
        // receipts, or waits and then finds the row gone, so none keeps the raw id. A locking query: it sees the row
        // as committed now (not this transaction's first snapshot) and finds nothing, without failing, when none is.
        if (!(session.getAttribute(heldKey(realmId, userId)) instanceof SubjectEntity)) {
            em.createNamedQuery("ciamSubject.user", SubjectEntity.class).setParameter("realmId", realmId)
                    .setParameter("userId", userId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        }
        if (policy == ConsentSettings.OnUserRemoved.DELETE) {
            em.createNamedQuery("ciamReceipt.deleteUser").setParameter("realmId", realmId)
                    .setParameter("userId", userId).executeUpdate();
        } else {
            em.createNamedQuery("ciamReceipt.pseudonymize").setParameter("realmId", realmId)
                    .setParameter("userId", userId).setParameter("pseudonym", pseudonym).executeUpdate();
        }
        em.createNamedQuery("ciamSubject.deleteUser").setParameter("realmId", realmId)
                .setParameter("userId", userId).executeUpdate();
    }

    public void forgetRealm(String realmId) {
        em.createNamedQuery("ciamReceipt.deleteRealm").setParameter("realmId", realmId).executeUpdate();
        em.createNamedQuery("ciamSubject.deleteRealm").setParameter("realmId", realmId).executeUpdate();
    }

    /** The user's subject row, locked until the transaction ends; once per transaction (a second lock returns it). */
    private SubjectEntity lockSubject(String realmId, String userId, boolean newUser) {
        String held = heldKey(realmId, userId);
        if (session.getAttribute(held) instanceof SubjectEntity locked) {
            return locked; // re-reading it now would drop what this transaction changed and has not written yet
        }
        SubjectEntity subject = lockOrMakeSubject(realmId, userId, newUser);
        session.setAttribute(held, subject);
        return subject;
    }

    private static String heldKey(String realmId, String userId) {
        return "ciam.consent.locked." + realmId + "." + userId;
    }

    private SubjectEntity lockOrMakeSubject(String realmId, String userId, boolean newUser) {
        if (newUser) {
            return new SubjectEntity(realmId, userId); // no row yet: the first append writes it
        }
        SubjectEntity.Key key = new SubjectEntity.Key(realmId, userId);
        SubjectEntity subject = lockedIfStored(key);
        return subject != null ? subject : FirstUseRows.ensureAndLock(session, SubjectEntity.class, key,
                () -> new SubjectEntity(realmId, userId), LockModeType.PESSIMISTIC_WRITE);
    }

    /** The stored subject row as it is now, locked; null when the user has none. */
    private SubjectEntity lockedIfStored(SubjectEntity.Key key) {
        SubjectEntity subject = em.find(SubjectEntity.class, key); // plain: see FirstUseRows on InnoDB's gap locks
        if (subject != null) {
            em.refresh(subject, LockModeType.PESSIMISTIC_WRITE);
        }
        return subject;
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
