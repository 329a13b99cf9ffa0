package org.ciampack.events.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.keycloak.connections.jpa.AsynchronousCommitAllowed;

/**
 * One event on its way to one route (CIAM_EVENT_DELIVERY): pending, delivered or dead, with its attempts. The row of
 * a sign-in event, written beside it, keeps the commit asynchronous as its event row does (see {@link OutboxEntity});
 * one an admin queued (a range replay) and every change of state (failed, dead, replayed) are committed
 * synchronously.
 */
@Entity
@Table(name = "CIAM_EVENT_DELIVERY")
@NamedQueries({
        // Due rows of a route, oldest first (index IDX_CIAM_DELIVERY_QUEUE). A row whose order key has an older row
        // waiting for a retry is dropped after this query (see "ciamDelivery.waiting"): a user's events keep their order.
        @NamedQuery(name = "ciamDelivery.due", query = "select d.id, d.orderKey, d.attempts, d.eventTime, d.eventId "
                + "from DeliveryEntity d where d.realmId = :realmId and d.routeName = :route and d.status = 'PENDING' "
                + "and d.nextAttemptAt <= :now order by d.eventTime, d.id"),
        // The same after a row already read and past the given order keys: read on when the rows read were mostly
        // theirs and held back (the same index range, from that row on).
        @NamedQuery(name = "ciamDelivery.dueAfter", query = "select d.id, d.orderKey, d.attempts, d.eventTime, "
                + "d.eventId from DeliveryEntity d where d.realmId = :realmId and d.routeName = :route "
                + "and d.status = 'PENDING' and d.nextAttemptAt <= :now and d.orderKey not in :keys "
                + "and (d.eventTime > :afterTime or (d.eventTime = :afterTime and d.id > :afterId)) "
                + "order by d.eventTime, d.id"),
        // Whether a row of the route up to a time waits (pending, not yet due): a range of IDX_CIAM_DELIVERY_QUEUE.
        @NamedQuery(name = "ciamDelivery.anyWaiting", query = "select w.id from DeliveryEntity w "
                + "where w.realmId = :realmId and w.routeName = :route and w.status = 'PENDING' "
                + "and w.eventTime <= :latest and w.nextAttemptAt > :now"),
        // The oldest waiting (pending, not yet due) row of each order key among the given ones.
        @NamedQuery(name = "ciamDelivery.waiting", query = "select w.orderKey, min(w.eventTime) from DeliveryEntity w "
                + "where w.realmId = :realmId and w.routeName = :route and w.status = 'PENDING' "
                + "and w.nextAttemptAt > :now and w.orderKey in :keys group by w.orderKey"),
        // A delivered event's row, settled: marked (where the operator keeps them) or deleted. Only a row still
        // pending counts: one another node settled meanwhile (it took the route over) is not counted twice.
        @NamedQuery(name = "ciamDelivery.markDelivered", query = "update DeliveryEntity d set d.status = 'DELIVERED', "
                + "d.attempts = d.attempts + 1, d.lastAttemptAt = :now, d.doneAt = :now, d.lastError = null "
                + "where d.id in :ids and d.status = 'PENDING'"),
        @NamedQuery(name = "ciamDelivery.deletePending", query = "delete from DeliveryEntity d "
                + "where d.id in :ids and d.status = 'PENDING'"),
        @NamedQuery(name = "ciamDelivery.find", query = "select d from DeliveryEntity d where d.realmId = :realmId "
                + "and d.routeName = :route and d.eventId = :eventId"),
        @NamedQuery(name = "ciamDelivery.dead", query = "select d from DeliveryEntity d where d.realmId = :realmId "
                + "and d.routeName = :route and d.status = 'DEAD' order by d.eventTime, d.id"),
        // A route an admin resumed: a batch of its events waiting for a retry (the oldest of its queue, the first
        // tried), then due at once by id. Read without locks, so sign-ins writing the route's new rows never wait.
        @NamedQuery(name = "ciamDelivery.waitingIds", query = "select d.id from DeliveryEntity d "
                + "where d.realmId = :realmId and d.routeName = :route and d.status = 'PENDING' "
                + "and d.nextAttemptAt > :now"),
        @NamedQuery(name = "ciamDelivery.dueNow", query = "update DeliveryEntity d set d.nextAttemptAt = :now "
                + "where d.id in :ids and d.status = 'PENDING'"),
        @NamedQuery(name = "ciamDelivery.replayDead", query = "update DeliveryEntity d set d.status = 'PENDING', "
                + "d.attempts = 0, d.nextAttemptAt = :now, d.doneAt = null where d.realmId = :realmId "
                + "and d.routeName = :route and d.status = 'DEAD'"),
        @NamedQuery(name = "ciamDelivery.counts", query = "select d.routeName, d.status, count(d), min(d.eventTime) "
                + "from DeliveryEntity d where d.realmId = :realmId group by d.routeName, d.status"),
        @NamedQuery(name = "ciamDelivery.allCounts", query = "select d.realmId, d.routeName, d.status, count(d), "
                + "min(d.eventTime) from DeliveryEntity d where d.status <> 'DELIVERED' "
                + "group by d.realmId, d.routeName, d.status"),
        // Retention in batches: the ids of one batch past retention, then one delete by id.
        @NamedQuery(name = "ciamDelivery.expired", query = "select d.id from DeliveryEntity d "
                + "where d.status = :status and d.doneAt < :before"),
        @NamedQuery(name = "ciamDelivery.deleteIds", query = "delete from DeliveryEntity d where d.id in :ids"),
        // Routes with rows, and a batch of one route's rows up to a time: the purge of routes no realm defines.
        @NamedQuery(name = "ciamDelivery.routes", query = "select distinct d.realmId, d.routeName from DeliveryEntity d"),
        @NamedQuery(name = "ciamDelivery.ofRouteBefore", query = "select d.id from DeliveryEntity d "
                + "where d.realmId = :realmId and d.routeName = :route and d.eventTime < :before"),
        @NamedQuery(name = "ciamDelivery.deleteRoute", query = "delete from DeliveryEntity d "
                + "where d.realmId = :realmId and d.routeName = :route"),
        @NamedQuery(name = "ciamDelivery.deleteRealm", query = "delete from DeliveryEntity d where d.realmId = :realmId")
})
public class DeliveryEntity implements AsynchronousCommitAllowed {

    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String DEAD = "DEAD";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "ROUTE_NAME", length = 64, nullable = false)
    private String routeName;

    @Column(name = "EVENT_ID", length = 36, nullable = false)
    private String eventId;

    @Column(name = "ORDER_KEY", length = 255, nullable = false)
    private String orderKey;

    @Column(name = "EVENT_TIME", nullable = false)
    private long eventTime;

    @Column(name = "STATUS", length = 16, nullable = false)
    private String status;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    @Column(name = "NEXT_ATTEMPT_AT", nullable = false)
    private long nextAttemptAt;

    @Column(name = "LAST_ATTEMPT_AT")
    private Long lastAttemptAt;

    @Column(name = "DONE_AT")
    private Long doneAt;

    @Column(name = "LAST_ERROR", length = 1000)
    private String lastError;

    @Transient
    private boolean asynchronousCommit;

    protected DeliveryEntity() {
    }

    public DeliveryEntity(String id, String realmId, String routeName, OutboxRecord event, long now) {
        this.id = id;
        this.realmId = realmId;
        this.routeName = routeName;
        this.eventId = event.id();
        this.orderKey = event.orderKey();
        this.eventTime = event.eventTime();
        this.status = PENDING;
        this.nextAttemptAt = now;
        this.asynchronousCommit = LoginTraffic.includes(event.kind(), event.eventType());
    }

    /** A delivery an admin queued (a range replay), committed as synchronously as the admin's other changes. */
    public static DeliveryEntity queuedByAdmin(String id, String realmId, String routeName, OutboxRecord event, long now) {
        DeliveryEntity delivery = new DeliveryEntity(id, realmId, routeName, event, now);
        delivery.asynchronousCommit = false;
        return delivery;
    }

    public void delivered(long now) {
        attempts++;
        status = DELIVERED;
        lastAttemptAt = now;
        doneAt = now;
        lastError = null;
    }

    public void failed(long now, String error, long retryAt) {
        attempts++;
        lastAttemptAt = now;
        lastError = clip(error);
        nextAttemptAt = retryAt;
    }

    public void dead(long now, String error) {
        attempts++;
        status = DEAD;
        lastAttemptAt = now;
        doneAt = now;
        lastError = clip(error);
    }

    /** Back in the queue, with a fresh count of attempts (a replay by an admin). */
    public void replay(long now) {
        status = PENDING;
        attempts = 0;
        nextAttemptAt = now;
        doneAt = null;
    }

    private static String clip(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 997) + "...";
    }

    public String getId() {
        return id;
    }

    public String getRealmId() {
        return realmId;
    }

    public String getRouteName() {
        return routeName;
    }

    public String getEventId() {
        return eventId;
    }

    public String getOrderKey() {
        return orderKey;
    }

    public long getEventTime() {
        return eventTime;
    }

    public String getStatus() {
        return status;
    }

    public int getAttempts() {
        return attempts;
    }

    public long getNextAttemptAt() {
        return nextAttemptAt;
    }

    public Long getLastAttemptAt() {
        return lastAttemptAt;
    }

    public Long getDoneAt() {
        return doneAt;
    }

    public String getLastError() {
        return lastError;
    }

    @Override
    public boolean isAsyncCommitAllowed(EntityOperationType operation) {
        return operation == EntityOperationType.INSERT && asynchronousCommit;
    }
}
