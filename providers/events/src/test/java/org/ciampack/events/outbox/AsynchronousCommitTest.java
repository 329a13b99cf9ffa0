package org.ciampack.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.connections.jpa.AsynchronousCommitAllowed.EntityOperationType;

/** Which of the export's writes may leave a PostgreSQL commit asynchronous (ProductionBuildIT shows it on a login). */
class AsynchronousCommitTest {

    private static final OutboxRecord LOGIN = new OutboxRecord("event-1", "realm", OutboxRecord.USER, "LOGIN", "app",
            "user-1", 1_000, "{}");

    @Test
    void anEventAndItsDeliveriesAreWrittenAsAsynchronouslyAsKeycloaksOwnEventRow() {
        assertThat(new OutboxEntity(LOGIN, true).isAsyncCommitAllowed(EntityOperationType.INSERT)).isTrue();
        assertThat(new DeliveryEntity("d-1", "realm", "siem", LOGIN, 1_000).isAsyncCommitAllowed(EntityOperationType.INSERT))
                .isTrue();
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
