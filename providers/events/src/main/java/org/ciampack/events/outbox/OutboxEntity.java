package org.ciampack.events.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import org.keycloak.connections.jpa.AsynchronousCommitAllowed;

/**
 * One exported event in CIAM_EVENT_OUTBOX: its envelope, and whether it was handed to the routes yet. The row of a
 * sign-in event ({@link LoginTraffic}) leaves its transaction's commit asynchronous on PostgreSQL, as Keycloak's own
 * event row does: a database crash can lose the last moment's logins, and their events with them.
 */
@Entity
@Table(name = "CIAM_EVENT_OUTBOX")
@NamedQueries({
        @NamedQuery(name = "ciamOutbox.notFannedOut",
                query = "select o from OutboxEntity o where o.fannedOut = false order by o.eventTime, o.id"),
        // Whether an event up to a time has no deliveries yet: a range of IDX_CIAM_OUTBOX_PENDING, usually empty.
        @NamedQuery(name = "ciamOutbox.anyNotFannedOut", query = "select o.id from OutboxEntity o "
                + "where o.fannedOut = false and o.eventTime <= :latest"),
        // The earliest event without deliveries of each order key among the given ones.
        @NamedQuery(name = "ciamOutbox.notFannedOutKeys", query = "select o.orderKey, min(o.eventTime) "
                + "from OutboxEntity o where o.fannedOut = false and o.orderKey in :keys group by o.orderKey"),
        // A replay takes handed-out events only: the fan-out gives the others to the routes that take them (and a
        // replay's delivery of one would collide with the fan-out's on the unique key, failing its whole batch).
        @NamedQuery(name = "ciamOutbox.inRange", query = "select o from OutboxEntity o where o.realmId in :realmIds "
                + "and o.eventTime >= :from and o.eventTime < :to and o.fannedOut = true order by o.eventTime, o.id"),
        @NamedQuery(name = "ciamOutbox.countInRange", query = "select count(o) from OutboxEntity o "
                + "where o.realmId in :realmIds and o.eventTime >= :from and o.eventTime < :to and o.fannedOut = true"),
        @NamedQuery(name = "ciamOutbox.expired", query = "select o.id from OutboxEntity o where o.fannedOut = true "
                + "and o.eventTime < :before and not exists (select d.id from DeliveryEntity d "
                + "where d.eventId = o.id and d.status <> 'DELIVERED')"),
        @NamedQuery(name = "ciamOutbox.deleteIds", query = "delete from OutboxEntity o where o.id in :ids"),
        // One statement for a fanned-out batch: a managed row marked one by one is rewritten whole, payload included.
        @NamedQuery(name = "ciamOutbox.markFannedOut", query = "update OutboxEntity o set o.fannedOut = true "
                + "where o.id in :ids"),
        @NamedQuery(name = "ciamOutbox.payloads", query = "select o.id, o.payload, o.realmId from OutboxEntity o "
                + "where o.id in :ids"),
        @NamedQuery(name = "ciamOutbox.deleteRealm", query = "delete from OutboxEntity o where o.realmId = :realmId")
})
public class OutboxEntity implements AsynchronousCommitAllowed {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "KIND", length = 8, nullable = false)
    private String kind;

    @Column(name = "EVENT_TYPE", length = 128, nullable = false)
    private String eventType;

    @Column(name = "CLIENT_ID", length = 255)
    private String clientId;

    @Column(name = "ORDER_KEY", length = 255, nullable = false)
    private String orderKey;

    @Column(name = "EVENT_TIME", nullable = false)
    private long eventTime;

    @Column(name = "FANNED_OUT", nullable = false)
    private boolean fannedOut;

    /** How long an envelope the listener writes (the column holds it: TEXT, LONGTEXT, on H2 CHARACTER VARYING). */
    public static final int MAX_PAYLOAD_CHARS = 1_000_000;

    @Column(name = "PAYLOAD", nullable = false, length = MAX_PAYLOAD_CHARS)
    private String payload;

    protected OutboxEntity() {
    }

    /** {@code fannedOut}: its deliveries are written beside it. */
    public OutboxEntity(OutboxRecord record, boolean fannedOut) {
        this(record);
        this.fannedOut = fannedOut;
    }

    public OutboxEntity(OutboxRecord record) {
        this.id = record.id();
        this.realmId = record.realmId();
        this.kind = record.kind();
        this.eventType = record.eventType();
        this.clientId = record.clientId();
        this.orderKey = record.orderKey();
        this.eventTime = record.eventTime();
        this.payload = record.payload();
    }

    public OutboxRecord record() {
        return new OutboxRecord(id, realmId, kind, eventType, clientId, orderKey, eventTime, payload);
    }

    @Override
    public boolean isAsyncCommitAllowed(EntityOperationType operation) {
        return operation == EntityOperationType.INSERT && LoginTraffic.includes(kind, eventType);
    }
}
