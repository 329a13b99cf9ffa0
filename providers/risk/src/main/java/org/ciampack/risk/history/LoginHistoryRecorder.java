package org.ciampack.risk.history;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.ciampack.common.RealmKey;
import org.ciampack.risk.LocalHour;
import org.ciampack.risk.RiskNotes;
import org.ciampack.risk.geo.GeoFacts;
import org.ciampack.risk.geo.GeoIp;
import org.ciampack.risk.net.IpAddress;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;

/** Writes a history row for each successful LOGIN that carries a risk assessment, in the login's transaction. */
final class LoginHistoryRecorder implements EventListenerProvider {

    private static final int TRIM_EVERY = 10;

    private final KeycloakSession session;
    private final int keep;
    private final IpStorage ipStorage;

    LoginHistoryRecorder(KeycloakSession session, int keep, IpStorage ipStorage) {
        this.session = session;
        this.keep = keep;
        this.ipStorage = ipStorage;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() != EventType.LOGIN || event.getUserId() == null) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        Map<String, String> details = riskDetails(event, realm);
        if (!details.containsKey(RiskNotes.EVENT_SCORE)) {
            return; // not a login through a risk assessment step
        }
        GeoFacts geo = IpAddress.parse(event.getIpAddress())
                .map(address -> session.getProvider(GeoIp.class).locate(address))
                .orElse(GeoFacts.UNKNOWN);
        PastLogin login = new PastLogin(Instant.ofEpochMilli(event.getTime()), parse(details.get(RiskNotes.EVENT_SCORE)),
                details.get(RiskNotes.EVENT_LEVEL), geo.countryCode(), geo.city(), geo.latitude(), geo.longitude(),
                geo.accuracyRadiusKm(), geo.asn(), details.get(RiskNotes.EVENT_DEVICE), details.get(RiskNotes.EVENT_USER_AGENT),
                ipStorage.store(event.getIpAddress(), () -> RealmKey.of(session, realm)),
                LocalHour.of(Instant.ofEpochMilli(event.getTime()), geo.timeZone()));
        String notify = details.get(RiskNotes.NOTIFY_NEW_SIGN_IN);
        List<String> about = NewSignInNotice.about(details.get(RiskNotes.EVENT_REASONS), login);
        if (notify != null && !"false".equals(notify) && !about.isEmpty()) {
            NewSignInNotice.afterCommit(session, realm, event.getUserId(), login, about, NoticeLimits.fromNote(notify));
        }
        LoginHistory history = LoginHistory.of(session);
        history.add(realm.getId(), event.getUserId(), login);
        // Trimming costs a query and a delete; done on one login in TRIM_EVERY, a user keeps between keep and
        // about keep + TRIM_EVERY rows, and the signals only ever read the newest ones.
        if (ThreadLocalRandom.current().nextInt(TRIM_EVERY) == 0) {
            history.trim(realm.getId(), event.getUserId(), keep);
        }
    }

    /**
     * The user session's risk notes (set by the risk step, they survive step-ups and required actions, after
     * which Keycloak's LOGIN event lacks the details), overlaid by the event's own details.
     */
    private Map<String, String> riskDetails(Event event, RealmModel realm) {
        Map<String, String> details = new HashMap<>();
        UserSessionModel userSession = event.getSessionId() == null ? null
                : session.sessions().getUserSession(realm, event.getSessionId());
        if (userSession != null) {
            details.putAll(userSession.getNotes());
        }
        if (event.getDetails() != null) {
            details.putAll(event.getDetails());
        }
        return details;
    }

    private static int parse(String score) {
        try {
            return Integer.parseInt(score);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
