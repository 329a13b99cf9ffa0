package org.ciampack.risk;

import org.ciampack.common.AuthNotes;

/** Where an assessment is kept: authentication-session notes for later flow steps, event details for the record. */
public final class RiskNotes {

    public static final String SCORE = "ciam.risk.score";
    /** Read by other modules (profiling) under the same name, from common. */
    public static final String LEVEL = AuthNotes.RISK_LEVEL;
    public static final String REASONS = "ciam.risk.reasons";
    public static final String SHADOW = "ciam.risk.shadow";
    /** User-session note: the risk step asks for a new-sign-in e-mail when the login completes, within these limits. */
    public static final String NOTIFY_NEW_SIGN_IN = "ciam.risk.notify-new-sign-in";
    /** The level conditions act on: the assessed level, or low in shadow mode. */
    public static final String ENFORCED_LEVEL = "ciam.risk.enforced-level";
    /** The user the assessment is about: a flow whose user changed since is not covered by it. */
    public static final String SCORED_USER = "ciam.risk.scored-user";

    public static final String EVENT_SCORE = "risk_score";
    public static final String EVENT_LEVEL = "risk_level";
    public static final String EVENT_REASONS = "risk_reasons";
    public static final String EVENT_SHADOW = "risk_shadow";
    /** The device id from the signed device cookie (a random id, no personal data). */
    public static final String EVENT_DEVICE = "risk_device";
    public static final String EVENT_USER_AGENT = "risk_user_agent";

    private RiskNotes() {
    }
}
