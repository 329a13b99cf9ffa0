package org.ciampack.federation;

import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** The record of legacy customers imported from one store of one realm ({@link LegacyImportEntity}). */
final class LegacyImports {

    private final EntityManager em;
    private final String realmId;
    private final String componentId;

    LegacyImports(KeycloakSession session, String realmId, String componentId) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        this.realmId = realmId;
        this.componentId = componentId;
    }

    /** Records an import; {@code closed} when the customer's password is Keycloak's from the start (their hash). */
    void record(LegacyCustomer customer, String userId, boolean closed) {
        long now = System.currentTimeMillis();
        em.persist(new LegacyImportEntity(realmId, componentId, lower(customer.username()), lower(customer.email()),
                userId, now, closed ? now : null));
    }

    /** Forgets that this customer was imported, so they can be imported again. */
    void forget(String username) {
        em.createNamedQuery("ciamLegacyImport.deleteUsername").setParameter("realmId", realmId)
                .setParameter("componentId", componentId).setParameter("username", lower(username)).executeUpdate();
    }

    /** Which of these usernames were imported before (whatever became of them since). */
    Set<String> known(Collection<String> usernames) {
        if (usernames.isEmpty()) {
            return Set.of();
        }
        List<String> lower = usernames.stream().map(LegacyImports::lower).toList();
        return new HashSet<>(em.createNamedQuery("ciamLegacyImport.known", String.class)
                .setParameter("realmId", realmId).setParameter("componentId", componentId)
                .setParameter("usernames", lower).getResultList());
    }

    /** How this customer was imported, if ever (the user may be gone or renamed since). */
    Optional<Imported> importOf(String username) {
        return em.createNamedQuery("ciamLegacyImport.import", Object[].class).setParameter("realmId", realmId)
                .setParameter("componentId", componentId).setParameter("username", lower(username))
                .getResultStream().findFirst().map(row -> new Imported((String) row[0], row[1] != null));
    }

    /**
     * Records that the legacy row no longer speaks for this customer: their password moved into Keycloak, or Keycloak
     * deleted them. Whatever becomes of their local copy, the row never imports them again.
     */
    void close(String username) {
        em.createNamedQuery("ciamLegacyImport.close").setParameter("now", System.currentTimeMillis())
                .setParameter("realmId", realmId).setParameter("componentId", componentId)
                .setParameter("username", lower(username)).executeUpdate();
    }

    /** A customer's import: the Keycloak user they became, and whether the record is closed ({@link #close}). */
    record Imported(String userId, boolean closed) {
    }

    /** Imported customers whose username or address matches a search's LIKE pattern (lower case, \ escapes). */
    long count(String pattern) {
        return em.createNamedQuery("ciamLegacyImport.count", Long.class).setParameter("realmId", realmId)
                .setParameter("componentId", componentId).setParameter("pattern", pattern).getSingleResult();
    }

    static void forgetComponent(KeycloakSession session, String realmId, String componentId) {
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("ciamLegacyImport.deleteComponent").setParameter("realmId", realmId)
                .setParameter("componentId", componentId).executeUpdate();
    }

    static void forgetRealm(KeycloakSession session, String realmId) {
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("ciamLegacyImport.deleteRealm").setParameter("realmId", realmId).executeUpdate();
    }

    static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
