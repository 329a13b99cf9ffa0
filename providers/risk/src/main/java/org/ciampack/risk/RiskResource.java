package org.ciampack.risk;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.ciampack.common.CorsPreflight;
import org.ciampack.common.Problems;
import org.ciampack.common.SelfServiceCaller;
import org.ciampack.common.SelfServiceCaller.Access;
import org.ciampack.risk.history.KnownDevice;
import org.ciampack.risk.history.LoginHistory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * The risk module's self-service REST, under {@code /realms/{realm}/ciam-risk}: {@code GET devices},
 * {@code DELETE devices/{id}} (the user, with their own bearer token from an app, CORS for the client's web origins;
 * or with their login cookie from the account console's "Known devices" page): the devices they have completed a
 * login with; removing one makes it unknown again, so its next login counts as a new device. The admins' part is
 * {@link RiskAdminResource}.
 */
final class RiskResource implements RealmResourceProvider {

    private static final String[] SELF_SERVICE_METHODS = {"GET", "DELETE"};
    /** Rows read to list devices: far more than the history keeps, so every kept row is seen. */
    private static final int DEVICE_HISTORY = 1000;

    private final KeycloakSession session;

    RiskResource(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        // Browsers ask before a cross-origin DELETE or a call with an Authorization header.
        CorsPreflight preflight = CorsPreflight.of(session, SELF_SERVICE_METHODS);
        return preflight != null ? preflight : this;
    }

    @GET
    @Path("devices")
    @Produces(MediaType.APPLICATION_JSON)
    public Response devices() {
        SelfServiceCaller caller = SelfServiceCaller.authenticate(session, Access.READ, SELF_SERVICE_METHODS);
        RealmModel realm = session.getContext().getRealm();
        List<KnownDevice> devices = KnownDevice.of(LoginHistory.of(session).recent(realm.getId(), caller.user().getId(),
                DEVICE_HISTORY), DeviceCookie.fromRequest(session, realm));
        return caller.answer(Response.ok(devices));
    }

    @DELETE
    @Path("devices/{id}")
    public Response forgetDevice(@PathParam("id") String deviceId) {
        SelfServiceCaller caller = SelfServiceCaller.authenticate(session, Access.CHANGE, SELF_SERVICE_METHODS);
        RealmModel realm = session.getContext().getRealm();
        int removed = LoginHistory.of(session).forgetDevice(realm.getId(), caller.user().getId(), deviceId);
        // Someone else's device, or none: the same answer, so ids of others cannot be probed.
        return caller.answer(removed == 0 ? Problems.status(Response.Status.NOT_FOUND, "no such device")
                : Response.noContent().build());
    }

    @Override
    public void close() {
    }
}
