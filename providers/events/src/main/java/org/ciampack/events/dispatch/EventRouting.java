package org.ciampack.events.dispatch;

import java.util.List;
import org.ciampack.events.outbox.KeptForReplay;
import org.ciampack.events.outbox.OutboxRecord;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Where an event about to be written goes, as this node's routes say: the enabled routes that take it, and whether
 * any route wants it at all (a disabled one that names it, or one whose definition does not read, may send it after
 * a replay). Unknown when the node's routes are not the realm's current ones, or the node does not deliver; the
 * dispatcher then fans the event out once they are.
 */
public final class EventRouting {

    public static final EventRouting UNKNOWN = new EventRouting(null, true);

    private final List<OpenRoute> takers;
    private final boolean wanted;

    EventRouting(List<OpenRoute> takers, boolean wanted) {
        this.takers = takers;
        this.wanted = wanted;
    }

    /**
     * Whether a user event of this type may go unwritten (or, once written, be let go): no route wants it and a replay
     * would not send it. The listener and the dispatcher's fan-out ask the same question.
     */
    public boolean letsGoUserEvent(RealmModel realm, String eventType) {
        return FanOut.drops(realm != null, false, wanted, () -> KeptForReplay.isKept(realm, eventType));
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
