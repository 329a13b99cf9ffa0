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

    void record(LegacyCustomer customer, String userId) {
        em.persist(new LegacyImportEntity(realmId, componentId, lower(customer.username()), lower(customer.email()),
                userId, System.currentTimeMillis()));
    }

    /** Forgets that this customer was imported, so they can be imported again. */
    void forget(String username) {
        em.createNamedQuery("ciamLegacyImport.deleteUsername").setParameter("realmId", realmId)
                .setParameter("componentId", componentId).setParameter("username", lower(username)).executeUpdate();
    }

    /**
     * Which of these usernames were imported before and still are: their user exists (whatever became of it since)
     * or was deleted in Keycloak. One whose user went without a deletion is not: the row imports them again.
     */
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
                .getResultStream().findFirst().map(row -> new Imported((String) row[0], (Long) row[1]));
    }

    /**
     * Records that Keycloak deleted this user (whoever deleted them, whatever their username by then): the legacy
     * row never brings them back.
     */
    static void closeUser(KeycloakSession session, String realmId, String userId) {
        session.getProvider(JpaConnectionProvider.class).getEntityManager().createNamedQuery("ciamLegacyImport.close")
                .setParameter("now", System.currentTimeMillis()).setParameter("realmId", realmId)
                .setParameter("userId", userId).executeUpdate();
    }

    /**
     * A customer's import: the Keycloak user they became, and when Keycloak deleted that user (0: before the import
     * record kept it, when lazy migration never imported such a customer again and a federated store did).
     */
    record Imported(String userId, Long closedAt) {

        /** Whether the legacy row must not bring this customer back. */
        boolean closed(boolean federated) {
            return closedAt != null && (closedAt > 0 || !federated);
        }
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
