package org.ciampack.events.outbox;

import java.util.Set;

/**
 * The events of sign-in traffic: logins, tokens, refreshes, logouts, the verification and reset mails a sign-in
 * sends, and their failures. Keycloak commits their transactions, which write only sessions and events, without
 * waiting for the disk on PostgreSQL; the export's rows of these events may keep it so. Every other event (a
 * registration, a profile or consent change, an admin's action) is committed synchronously with its rows, whatever
 * else its transaction writes.
 */
final class LoginTraffic {

    private static final Set<String> USER_EVENTS = Set.of("LOGIN", "LOGIN_ERROR", "CLIENT_LOGIN",
            "CLIENT_LOGIN_ERROR", "CODE_TO_TOKEN", "CODE_TO_TOKEN_ERROR", "REFRESH_TOKEN", "REFRESH_TOKEN_ERROR",
            "LOGOUT", "LOGOUT_ERROR", "INTROSPECT_TOKEN", "INTROSPECT_TOKEN_ERROR", "USER_INFO_REQUEST",
            "USER_INFO_REQUEST_ERROR", "SEND_VERIFY_EMAIL", "SEND_VERIFY_EMAIL_ERROR", "SEND_RESET_PASSWORD",
            "SEND_RESET_PASSWORD_ERROR");

    private LoginTraffic() {
    }

    static boolean includes(String kind, String eventType) {
        return OutboxRecord.USER.equals(kind) && USER_EVENTS.contains(eventType);
    }
}
