package org.ciampack.federation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * A legacy customer imported into Keycloak (CIAM_LEGACY_IMPORT), kept after they migrate and after they are deleted
 * or renamed there: such a customer is never imported again from a legacy database that still holds them, and the
 * count of legacy customers not imported yet is one query. {@code closedAt}: when Keycloak deleted them; a record not
 * closed whose user is gone lost its user without a deletion (the store's "Remove imported users", a federated copy
 * whose row was missing for a while) and counts as not imported. Usernames and addresses in lower case.
 */
@Entity
@Table(name = "CIAM_LEGACY_IMPORT")
@IdClass(LegacyImportEntity.Key.class)
@NamedQueries({
        @NamedQuery(name = "ciamLegacyImport.known", query = "select l.username from LegacyImportEntity l "
                + "where l.realmId = :realmId and l.componentId = :componentId and l.username in :usernames "
                + LegacyImportEntity.STILL_IMPORTED),
        @NamedQuery(name = "ciamLegacyImport.import", query = "select l.userId, l.closedAt from LegacyImportEntity l "
                + "where l.realmId = :realmId and l.componentId = :componentId and l.username = :username"),
        @NamedQuery(name = "ciamLegacyImport.close", query = "update LegacyImportEntity l set l.closedAt = :now "
                + "where l.realmId = :realmId and l.userId = :userId"),
        @NamedQuery(name = "ciamLegacyImport.count", query = "select count(l) from LegacyImportEntity l "
                + "where l.realmId = :realmId and l.componentId = :componentId "
                + "and (l.username like :pattern escape '\\' or l.email like :pattern escape '\\') "
                + LegacyImportEntity.STILL_IMPORTED),
        @NamedQuery(name = "ciamLegacyImport.deleteComponent", query = "delete from LegacyImportEntity l "
                + "where l.realmId = :realmId and l.componentId = :componentId"),
        @NamedQuery(name = "ciamLegacyImport.deleteUsername", query = "delete from LegacyImportEntity l "
                + "where l.realmId = :realmId and l.componentId = :componentId and l.username = :username"),
        @NamedQuery(name = "ciamLegacyImport.deleteRealm", query = "delete from LegacyImportEntity l "
                + "where l.realmId = :realmId")
})
public class LegacyImportEntity {

    /** A record that still counts as an import: closed (deleted in Keycloak), or its user still exists. */
    static final String STILL_IMPORTED =
            "and (l.closedAt is not null or exists (select u.id from UserEntity u where u.id = l.userId))";

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    @Id
    @Column(name = "COMPONENT_ID", length = 36)
    private String componentId;

    @Id
    @Column(name = "USERNAME", length = 255)
    private String username;

    @Column(name = "EMAIL", length = 255)
    private String email;

    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;

    @Column(name = "IMPORTED_AT", nullable = false)
    private long importedAt;

    @Column(name = "CLOSED_AT")
    private Long closedAt;

    protected LegacyImportEntity() {
    }

    public LegacyImportEntity(String realmId, String componentId, String username, String email, String userId,
                              long importedAt) {
        this.realmId = realmId;
        this.componentId = componentId;
        this.username = username;
        this.email = email;
        this.userId = userId;
        this.importedAt = importedAt;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private String realmId;
        private String componentId;
        private String username;

        public Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(realmId, key.realmId)
                    && Objects.equals(componentId, key.componentId) && Objects.equals(username, key.username);
        }

        @Override
        public int hashCode() {
            return Objects.hash(realmId, componentId, username);
        }
    }
}
