package org.ciampack.risk;

import java.util.Map;
import org.keycloak.models.AuthenticatorConfigModel;

/**
 * Reads numbers an admin typed into a step's configuration: anything unset, unreadable or out of range gives the
 * default, so a typo weakens nothing and never fails a login.
 */
public final class StepSettings {

    private StepSettings() {
    }

    /** The step's configuration; empty when the admin has not configured it. */
    public static Map<String, String> of(AuthenticatorConfigModel model) {
        return model == null || model.getConfig() == null ? Map.of() : model.getConfig();
    }

    public static int integer(String value, int fallback, int min, int max) {
        try {
            int parsed = value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
            return parsed < min || parsed > max ? fallback : parsed;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public static double decimal(String value, double fallback, double min, double max) {
        try {
            double parsed = value == null || value.isBlank() ? fallback : Double.parseDouble(value.strip());
            return Double.isNaN(parsed) || parsed < min || parsed > max ? fallback : parsed;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
