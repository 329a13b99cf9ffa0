package org.ciampack.risk.stepup;

import java.util.Map;
import org.ciampack.risk.StepSettings;
import org.keycloak.models.AuthenticatorConfigModel;

/** The step's settings, parsed once; out-of-range values fall back to safe defaults. */
record EmailOtpSettings(int digits, int ttlSeconds, int maxAttempts, int resendAfterSeconds, int maxCodes,
                        int maxCodesPerDay) {

    static final String DIGITS = "digits";
    static final String TTL = "ttl-seconds";
    static final String MAX_ATTEMPTS = "max-attempts";
    static final String RESEND_AFTER = "resend-after-seconds";
    static final String MAX_CODES = "max-codes";
    static final String MAX_CODES_PER_DAY = "max-codes-per-day";

    static EmailOtpSettings of(AuthenticatorConfigModel model) {
        Map<String, String> config = StepSettings.of(model);
        return new EmailOtpSettings(StepSettings.integer(config.get(DIGITS), 6, 4, 10),
                StepSettings.integer(config.get(TTL), 300, 30, 3600), StepSettings.integer(config.get(MAX_ATTEMPTS), 5, 1, 20),
                StepSettings.integer(config.get(RESEND_AFTER), 30, 0, 600), StepSettings.integer(config.get(MAX_CODES), 3, 1, 10),
                StepSettings.integer(config.get(MAX_CODES_PER_DAY), 10, 1, 100));
    }
}
