package org.ciampack.events.outbox;

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
 * The run state of a route (CIAM_EXPORT_ROUTE_STATE): the node that holds its delivery lease, since when it has
 * been failing, and whether it is paused. The route's definition itself is a realm attribute.
 */
@Entity
@Table(name = "CIAM_EXPORT_ROUTE_STATE")
@IdClass(RouteStateEntity.Key.class)
@NamedQueries({
        // The lease: one node at a time delivers a route, which keeps each user's events in order across nodes.
        @NamedQuery(name = "ciamRouteState.takeLease", query = "update RouteStateEntity s set s.leaseOwner = :owner, "
                + "s.leaseUntil = :until where s.realmId = :realmId and s.routeName = :route "
                + "and (s.leaseUntil < :now or s.leaseOwner = :owner) and s.pausedAt is null"),
        // Renewed while a round sends; never taken back from another node, never for a paused or removed route.
        @NamedQuery(name = "ciamRouteState.renewLease", query = "update RouteStateEntity s set s.leaseUntil = :until "
                + "where s.realmId = :realmId and s.routeName = :route and s.leaseOwner = :owner "
                + "and s.pausedAt is null"),
        @NamedQuery(name = "ciamRouteState.releaseLeases", query = "update RouteStateEntity s set s.leaseUntil = 0 "
                + "where s.leaseOwner = :owner"),
        // Counted in one statement, in the database: no copy of the row read before can lose a count.
        @NamedQuery(name = "ciamRouteState.countDelivered", query = "update RouteStateEntity s "
                + "set s.deliveredCount = s.deliveredCount + :count, s.lastDeliveredAt = :now "
                + "where s.realmId = :realmId and s.routeName = :route"),
        @NamedQuery(name = "ciamRouteState.all", query = "select s from RouteStateEntity s"),
        @NamedQuery(name = "ciamRouteState.crossRealmApprovals", query = "select s.routeName, s.crossRealmApproval "
                + "from RouteStateEntity s where s.realmId = :realmId and s.crossRealmApproval is not null"),
        @NamedQuery(name = "ciamRouteState.deleteRoute", query = "delete from RouteStateEntity s "
                + "where s.realmId = :realmId and s.routeName = :route"),
        @NamedQuery(name = "ciamRouteState.deleteRealm", query = "delete from RouteStateEntity s where s.realmId = :realmId")
})
public class RouteStateEntity {

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    @Id
    @Column(name = "ROUTE_NAME", length = 64)
    private String routeName;

    @Column(name = "LEASE_OWNER", length = 64)
    private String leaseOwner;

    @Column(name = "LEASE_UNTIL", nullable = false)
    private long leaseUntil;

    @Column(name = "FAILING_SINCE")
    private Long failingSince;

    @Column(name = "PAUSED_AT")
    private Long pausedAt;

    @Column(name = "PAUSE_REASON", length = 1000)
    private String pauseReason;

    /** The digest of the definition an admin allowed to see every realm it names saved ({@link CrossRealmApproval}). */
    @Column(name = "CROSS_REALM_APPROVAL", length = 64)
    private String crossRealmApproval;

    // Read-only here: only ciamRouteState.countDelivered writes them, so an admin's pause or a round's health,
    // written from a copy read earlier, never sets them back (the column's default 0 fills a new row).
    @Column(name = "DELIVERED_COUNT", insertable = false, updatable = false)
    private long deliveredCount;

    @Column(name = "LAST_DELIVERED_AT", insertable = false, updatable = false)
    private Long lastDeliveredAt;

    protected RouteStateEntity() {
    }

    public RouteStateEntity(String realmId, String routeName) {
        this.realmId = realmId;
        this.routeName = routeName;
    }

    public String getRealmId() {
        return realmId;
    }

    public String getRouteName() {
        return routeName;
    }

    public Long getFailingSince() {
        return failingSince;
    }

    public long getLeaseUntil() {
        return leaseUntil;
    }

    public Long getPausedAt() {
        return pausedAt;
    }

    public String getPauseReason() {
        return pauseReason;
    }

    /**
     * Deliveries the route recorded since its state row was made (for a route older than the count: since the upgrade
     * that added it), events its format skips included; the rows themselves are gone unless keep-delivered-days.
     */
    public long getDeliveredCount() {
        return deliveredCount;
    }

    public Long getLastDeliveredAt() {
        return lastDeliveredAt;
    }

    public String getCrossRealmApproval() {
        return crossRealmApproval;
    }

    public void approveCrossRealm(String approval) {
        crossRealmApproval = approval;
    }

    public boolean isPaused() {
        return pausedAt != null;
    }

    public void failing(long since) {
        if (failingSince == null) {
            failingSince = since;
        }
    }

    public void healthy() {
        failingSince = null;
    }

    public void pause(long now, String reason) {
        pausedAt = now;
        pauseReason = reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000);
        leaseUntil = 0;
    }

    public void resume() {
        pausedAt = null;
        pauseReason = null;
        failingSince = null;
    }

    /** The composite key: realm id and route name. */
    public static final class Key implements Serializable {
        private String realmId;
        private String routeName;

        public Key() {
        }

        public Key(String realmId, String routeName) {
            this.realmId = realmId;
            this.routeName = routeName;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(realmId, key.realmId)
                    && Objects.equals(routeName, key.routeName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(realmId, routeName);
        }
    }
}
