package org.ciampack.events.dispatch;

import java.util.List;
import org.ciampack.events.outbox.OutboxRecord;
import org.keycloak.models.KeycloakSession;

/**
 * Where an event about to be written goes, as this node's routes say: the routes that take it, or unknown when the
 * node's routes are not the realm's current ones (or the node does not deliver); the dispatcher then fans the event
 * out once they are.
 */
public final class EventRouting {

    public static final EventRouting UNKNOWN = new EventRouting(null);

    private final List<OpenRoute> takers;

    EventRouting(List<OpenRoute> takers) {
        this.takers = takers;
    }

    /** Whether it is known that no route takes the event. */
    public boolean takenByNone() {
        return takers != null && takers.isEmpty();
    }

    /**
     * Writes the event's deliveries beside it, in the request's transaction; false, with nothing written, when the
     * routes are unknown.
     */
    public boolean writeDeliveries(KeycloakSession session, OutboxRecord event) {
        if (takers == null) {
            return false;
        }
        FanOut.deliver(session, event, takers, System.currentTimeMillis());
        return true;
    }
}
