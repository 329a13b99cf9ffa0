package org.ciampack.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ciampack.common.UserIds;
import org.ciampack.events.dispatch.EventRouting;
import org.ciampack.events.dispatch.OutboxDispatcher;
import org.ciampack.events.outbox.KeptForReplay;
import org.ciampack.events.outbox.OutboxEntity;
import org.ciampack.events.outbox.OutboxRecord;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Writes each event into the outbox, in the transaction of the request that produced it (Keycloak calls
 * listeners inside it; error events come in a transaction of their own), with a delivery row per route that takes
 * it when this node's routes are current (else the dispatcher fans it out on its next tick). A user event that no
 * route wants is written only if it is {@linkplain KeptForReplay kept for replay}. Inserts only, no network: the
 * dispatcher delivers later, so a slow or absent receiver never slows or breaks a login.
 */
final class ExportEventListener implements EventListenerProvider {

    private static final EnvelopeLimit LIMIT = new EnvelopeLimit(OutboxEntity.MAX_PAYLOAD_CHARS);

    private final KeycloakSession session;
    private final OutboxDispatcher dispatcher;

    /** {@code dispatcher}: this node's, or null where the node does not deliver. */
    ExportEventListener(KeycloakSession session, OutboxDispatcher dispatcher) {
        this.session = session;
        this.dispatcher = dispatcher;
    }

    @Override
    public void onEvent(Event event) {
        RealmModel realm = realm(event.getRealmId());
        EventRouting routing = routing(realm, OutboxRecord.USER, event.getType().name(), event.getClientId());
        if (routing.letsGoUserEvent(realm, event.getType().name())) {
            return; // no route wants it and a replay would not send it: neither a row nor a user read
        }
        ObjectNode envelope = EventEnvelope.of(event);
        if (realm != null && event.getUserId() != null) {
            UserModel user = session.users().getUserById(realm, event.getUserId());
            if (user != null) {
                boolean whole = ProfileSnapshot.PROFILE_EVENTS.contains(event.getType().name());
                ((ObjectNode) envelope.get("data")).set("user", ProfileSnapshot.of(session, realm, user, whole));
            }
        }
        write(routing, new OutboxRecord(envelope.get("id").asText(), event.getRealmId(), OutboxRecord.USER,
                event.getType().name(), event.getClientId(),
                event.getUserId() != null ? event.getUserId() : envelope.get("id").asText(), event.getTime(),
                LIMIT.text(envelope)));
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        ObjectNode envelope = EventEnvelope.of(event, includeRepresentation);
        String targetUserId = targetUserId(event);
        RealmModel realm = realm(event.getRealmId());
        if (targetUserId != null) {
            UserModel user = realm == null ? null : session.users().getUserById(realm, targetUserId);
            ((ObjectNode) envelope.get("data")).set("targetUser", user != null
                    ? ProfileSnapshot.of(session, realm, user, true)
                    : JsonNodeFactory.instance.objectNode().put("id", targetUserId));
        }
        String type = envelope.path("data").path("type").asText();
        String clientId = event.getAuthDetails() != null ? event.getAuthDetails().getClientId() : null;
        write(routing(realm, OutboxRecord.ADMIN, type, clientId), new OutboxRecord(envelope.get("id").asText(),
                event.getRealmId(), OutboxRecord.ADMIN, type, clientId,
                targetUserId != null ? targetUserId : envelope.get("id").asText(), event.getTime(),
                LIMIT.text(envelope)));
    }

    /** The user an admin event is about: {@code users/<id>} and anything below it (role mappings, credentials). */
    static String targetUserId(AdminEvent event) {
        String path = event.getResourcePath();
        if (path == null || !path.startsWith("users/")) {
            return null;
        }
        if (event.getResourceType() != null && event.getResourceType() != ResourceType.USER
                && event.getResourceType() != ResourceType.REALM_ROLE_MAPPING
                && event.getResourceType() != ResourceType.CLIENT_ROLE_MAPPING
                && event.getResourceType() != ResourceType.GROUP_MEMBERSHIP) {
            return null;
        }
        String rest = path.substring("users/".length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return UserIds.mayName(id) ? id : null;
    }

    private RealmModel realm(String realmId) {
        RealmModel current = session.getContext().getRealm();
        if (current != null && current.getId().equals(realmId)) {
            return current;
        }
        return realmId == null ? null : session.realms().getRealm(realmId);
    }

    private EventRouting routing(RealmModel realm, String kind, String eventType, String clientId) {
        return dispatcher == null || realm == null ? EventRouting.UNKNOWN
                : dispatcher.routing(session, realm, kind, eventType, clientId);
    }

    private void write(EventRouting routing, OutboxRecord record) {
        boolean fannedOut = routing.writeDeliveries(session, record);
        session.getProvider(JpaConnectionProvider.class).getEntityManager().persist(new OutboxEntity(record, fannedOut));
    }

    @Override
    public void close() {
    }
}
