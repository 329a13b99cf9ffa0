package org.ciampack.risk;

import jakarta.ws.rs.core.MultivaluedMap;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ciampack.risk.net.IpAddress;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordForm;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.storage.UserStoragePrivateUtil;

/**
 * Refuses, before any password is checked, a client whose address alone makes the login high risk for the flow's
 * risk assessment step (its IP deny list, the server's list file). The browser sees the usual login form and every
 * submission gets "Invalid username or password", right password or not; a password grant gets invalid_grant.
 * Other addresses pass without a trace.
 */
final class AddressGate extends UsernamePasswordForm {

    private static final Logger LOG = Logger.getLogger(AddressGate.class);

    private final List<RiskSignalFactory> signals;

    AddressGate(KeycloakSession session, List<RiskSignalFactory> signals) {
        super(session);
        this.signals = signals;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        RiskAssessment screened = screen(context);
        if (screened == null || screened.enforcedLevel() != RiskLevel.HIGH) {
            context.success();
        } else if (WrongPasswordAnswer.isPasswordGrant(context)) {
            MultivaluedMap<String, String> input = context.getHttpRequest().getDecodedFormParameters();
            record(context, screened, input.getFirst("username"));
            context.failure(AuthenticationFlowError.INVALID_USER, WrongPasswordAnswer.passwordGrant());
        } else {
            super.authenticate(context); // the login form, as for anyone
        }
    }

    /** A submission of the login form this gate showed: refused unchecked, like a wrong password. */
    @Override
    public void action(AuthenticationFlowContext context) {
        RiskAssessment screened = screen(context);
        if (screened == null || screened.enforcedLevel() != RiskLevel.HIGH) {
            context.resetFlow(); // the address changed: start over with the usual steps
            return;
        }
        record(context, screened, context.getHttpRequest().getDecodedFormParameters().getFirst("username"));
        context.challenge(challenge(context, WrongPasswordAnswer.INVALID_USER, WrongPasswordAnswer.PASSWORD_FIELD));
    }

    /** The address alone, scored with the flow's risk step settings; null when the flow has no risk step. */
    private RiskAssessment screen(AuthenticationFlowContext context) {
        Map<String, String> config = RiskStepConfig.of(context);
        if (config == null) {
            LOG.warnf("Address gate in realm %s has no 'CIAM risk assessment' step beside it in its flow; it lets "
                    + "every address through.", context.getRealm().getName());
            return null;
        }
        String reported = context.getConnection().getRemoteAddr();
        Optional<InetAddress> address = IpAddress.parse(reported);
        LoginAttempt attempt = LoginAttempt.bare(context.getRealm().getId(), null, reported == null ? "" : reported,
                address, "", Instant.now());
        try {
            return new RiskEvaluator(context.getSession(), signals).assessAddress(config, attempt);
        } catch (RuntimeException e) {
            // The risk step after the password applies the realm's fail-open/closed rule; the gate only stands aside.
            LOG.warnf("Address gate in realm %s could not screen the address: %s", context.getRealm().getName(), e.toString());
            return null;
        }
    }

    /**
     * The refusal in the events, under the user named if Keycloak holds one (admins see attacks on an account). Only
     * Keycloak's own users are looked up, never a user storage such as a legacy customer database: a refused address
     * must cost such a database nothing, however many names it sends.
     */
    private static void record(AuthenticationFlowContext context, RiskAssessment screened, String username) {
        UserModel user = username == null || username.isBlank() ? null
                : localUserNamed(context.getSession(), context.getRealm(), username.strip());
        if (user != null) {
            context.getEvent().user(user);
        }
        context.getEvent()
                .detail(Details.USERNAME, username)
                .detail(RiskNotes.EVENT_SCORE, String.valueOf(screened.score()))
                .detail(RiskNotes.EVENT_LEVEL, screened.level().id())
                .detail(RiskNotes.EVENT_REASONS, screened.reasonList())
                .error(Errors.ACCESS_DENIED);
    }

    /** A username, or an e-mail address where the realm lets customers sign in with it, as Keycloak reads them. */
    private static UserModel localUserNamed(KeycloakSession session, RealmModel realm, String name) {
        UserProvider local = UserStoragePrivateUtil.userLocalStorage(session);
        UserModel user = realm.isLoginWithEmailAllowed() && name.indexOf('@') >= 0
                ? local.getUserByEmail(realm, name) : null;
        return user != null ? user : local.getUserByUsername(realm, name);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }
}
