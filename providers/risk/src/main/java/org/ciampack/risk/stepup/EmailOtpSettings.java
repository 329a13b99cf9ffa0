package org.ciampack.risk.stepup;

import java.util.Map;
import org.keycloak.models.AuthenticatorConfigModel;

/** The step's settings, parsed once; out-of-range values fall back to safe defaults. */
record EmailOtpSettings(int digits, int ttlSeconds, int maxAttempts, int resendAfterSeconds) {

    static final String DIGITS = "digits";
    static final String TTL = "ttl-seconds";
    static final String MAX_ATTEMPTS = "max-attempts";
    static final String RESEND_AFTER = "resend-after-seconds";

    static EmailOtpSettings of(AuthenticatorConfigModel model) {
        Map<String, String> config = model == null || model.getConfig() == null ? Map.of() : model.getConfig();
        return new EmailOtpSettings(number(config.get(DIGITS), 6, 4, 10), number(config.get(TTL), 300, 30, 3600),
                number(config.get(MAX_ATTEMPTS), 5, 1, 20), number(config.get(RESEND_AFTER), 30, 0, 600));
    }

    private static int number(String value, int fallback, int min, int max) {
        try {
            int parsed = value == null ? fallback : Integer.parseInt(value.strip());
            return parsed < min || parsed > max ? fallback : parsed;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
