package org.ciampack.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.connections.jpa.AsynchronousCommitAllowed.EntityOperationType;

/** Which of the export's writes may leave a PostgreSQL commit asynchronous (ProductionBuildIT shows it on a login). */
class AsynchronousCommitTest {

    private static final OutboxRecord LOGIN = new OutboxRecord("event-1", "realm", OutboxRecord.USER, "LOGIN", "app",
            "user-1", 1_000, "{}");

    @Test
    void aSignInEventAndItsDeliveriesAreWrittenAsAsynchronouslyAsKeycloaksOwnEventRow() {
        assertThat(new OutboxEntity(LOGIN, true).isAsyncCommitAllowed(EntityOperationType.INSERT)).isTrue();
        assertThat(new DeliveryEntity("d-1", "realm", "siem", LOGIN, 1_000).isAsyncCommitAllowed(EntityOperationType.INSERT))
                .isTrue();
    }

    @Test
    void everyOtherEventIsCommittedSynchronouslyWithItsRows() {
        OutboxRecord registration = new OutboxRecord("event-2", "realm", OutboxRecord.USER, "REGISTER", "app", "user-1",
                1_000, "{}");
        OutboxRecord adminChange = new OutboxRecord("event-3", "realm", OutboxRecord.ADMIN, "LOGIN", null, "user-1",
                1_000, "{}");
        for (OutboxRecord event : new OutboxRecord[] {registration, adminChange}) {
            assertThat(new OutboxEntity(event, true).isAsyncCommitAllowed(EntityOperationType.INSERT)).isFalse();
            assertThat(new DeliveryEntity("d-4", "realm", "crm", event, 1_000).isAsyncCommitAllowed(EntityOperationType.INSERT))
                    .isFalse();
        }
    }

    @Test
    void aDeliveryAnAdminQueuedAndEveryChangeOfStateAreCommittedSynchronously() {
        assertThat(DeliveryEntity.queuedByAdmin("d-2", "realm", "siem", LOGIN, 1_000)
                .isAsyncCommitAllowed(EntityOperationType.INSERT)).isFalse();
        DeliveryEntity delivery = new DeliveryEntity("d-3", "realm", "siem", LOGIN, 1_000);
        assertThat(delivery.isAsyncCommitAllowed(EntityOperationType.UPDATE)).isFalse();
        assertThat(delivery.isAsyncCommitAllowed(EntityOperationType.DELETE)).isFalse();
        assertThat(new OutboxEntity(LOGIN, false).isAsyncCommitAllowed(EntityOperationType.DELETE)).isFalse();
    }
}
