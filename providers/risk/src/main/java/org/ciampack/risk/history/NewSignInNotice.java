package org.ciampack.risk.history;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * "Was this you?": an e-mail after a successful sign-in from a new device or country, at most once per device or
 * country within the step's window and a few a day per customer ({@link NoticeLimits}). Sent only once the login
 * has committed, from a background thread in its own transaction, so a slow or absent mail server never delays
 * or fails a login.
 */
final class NewSignInNotice {

    private static final Logger LOG = Logger.getLogger(NewSignInNotice.class);
    private static final String TEMPLATE = "ciam-new-sign-in.ftl";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private NewSignInNotice() {
    }

    /**
     * What the login's reasons call a notice about: its device and its country when new ("device:<id>",
     * "country:<code>"); nothing when neither is.
     */
    static List<String> about(String reasons, PastLogin login) {
        List<String> keys = new ArrayList<>();
        if (reasons != null && reasons.contains("new_device")) {
            keys.add("device:" + (login.deviceId() == null ? "unknown" : login.deviceId()));
        }
        if (reasons != null && reasons.contains("new_country")) {
            keys.add("country:" + login.countryCode());
        }
        return keys;
    }

    static void afterCommit(KeycloakSession session, RealmModel realm, String userId, PastLogin login,
                            List<String> about, NoticeLimits limits) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        String accountUrl = session.getContext().getUri() == null ? ""
                : session.getContext().getUri().getBaseUri() + "realms/" + realm.getName() + "/account/";
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                session.getProvider(ExecutorsProvider.class).getExecutor("ciam-risk-notices").execute(() -> {
                    try {
                        if (!SentNotices.claim(factory, realmId, userId, about, limits, Instant.now())) {
                            return; // told about this device or country lately, or enough notices today
                        }
                        KeycloakModelUtils.runJobInTransaction(factory, job -> send(job, realmId, userId, login, accountUrl));
                    } catch (RuntimeException e) {
                        LOG.warnf("Realm %s: the new sign-in notice failed: %s", realmId, e);
                    }
                });
            }

            @Override
            protected void rollbackImpl() {
                // the login did not happen: nothing to tell
            }
        });
    }

    private static void send(KeycloakSession session, String realmId, String userId, PastLogin login, String accountUrl) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm); // a background session belongs to no realm until told
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null || user.getEmail() == null || !user.isEmailVerified()) {
            return;
        }
        Map<String, Object> attributes = new HashMap<>(); // Keycloak adds its own entries: must be mutable
        attributes.put("place", place(login));
        attributes.put("browser", login.userAgentFamily() == null ? "unknown" : login.userAgentFamily());
        attributes.put("when", WHEN.format(login.time()));
        attributes.put("accountUrl", accountUrl);
        try {
            session.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(user)
                    .send("ciamNewSignInSubject", new ArrayList<>(), TEMPLATE, attributes);
        } catch (EmailException e) {
            LOG.warnf("Realm %s: the new sign-in notice could not be mailed: %s%s", realm.getName(), e.getMessage(),
                    e.getCause() == null ? "" : " (" + e.getCause() + ")");
        }
    }

    private static String place(PastLogin login) {
        if (login.city() != null && login.countryCode() != null) {
            return login.city() + ", " + login.countryCode();
        }
        return login.countryCode() != null ? login.countryCode() : "an unknown place";
    }

}
