package org.ciampack.risk;

import java.util.Locale;
import java.util.Optional;
import org.keycloak.models.RealmModel;

/**
 * Risk settings that hold for a whole realm rather than one flow step, kept as realm attributes: realm-config
 * seeds them, admins change them through {@code /admin/realms/{realm}/ciam-risk/settings}. An unreadable stored value
 * reads as the default, so a bad import weakens nothing and fails no login.
 */
public record RealmRiskSettings(FailMode onError) {

    public static final String ON_ERROR_ATTRIBUTE = "ciam.risk.onError";
    public static final RealmRiskSettings DEFAULTS = new RealmRiskSettings(FailMode.OPEN);

    /** What a login counts as when the risk engine itself fails (a broken signal, a database error). */
    public enum FailMode {
        /** Low risk: an engine fault never locks customers out. */
        OPEN,
        /** High risk: an engine fault never lets an attacker through. */
        CLOSED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<FailMode> parse(String value) {
            if (value == null) {
                return Optional.empty();
            }
            for (FailMode mode : values()) {
                if (mode.id().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }

    public RealmRiskSettings {
        if (onError == null) {
            throw new IllegalArgumentException("onError is required");
        }
    }

    public static RealmRiskSettings of(RealmModel realm) {
        return new RealmRiskSettings(FailMode.parse(realm.getAttribute(ON_ERROR_ATTRIBUTE)).orElse(DEFAULTS.onError()));
    }

    public void applyTo(RealmModel realm) {
        realm.setAttribute(ON_ERROR_ATTRIBUTE, onError.id());
    }

    public boolean failClosed() {
        return onError == FailMode.CLOSED;
    }
}
