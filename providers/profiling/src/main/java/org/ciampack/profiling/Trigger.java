package org.ciampack.profiling;

import java.util.Locale;

/** When a stage's questions become due. */
public sealed interface Trigger {

    boolean isMet(LoginFacts login);

    /** True when the login's client needs the answers now, so they come first and are never postponed by K. */
    default boolean needsNow() {
        return false;
    }

    /** From the user's Nth login on (the registration counts as the first). */
    record AfterLogins(int count) implements Trigger {
        @Override
        public boolean isMet(LoginFacts login) {
            return login.loginNumber() >= count;
        }
    }

    /** Once the account is this many days old. */
    record DaysAfterRegistration(int days) implements Trigger {
        @Override
        public boolean isMet(LoginFacts login) {
            return login.daysSinceRegistration() >= days;
        }
    }

    /** As soon as the user signs in to this client (by client id). */
    record ForClient(String clientId) implements Trigger {
        @Override
        public boolean isMet(LoginFacts login) {
            return clientId.equals(login.clientId());
        }

        @Override
        public boolean needsNow() {
            return true;
        }
    }

    /** As soon as a login requests this client scope (by name; default scopes count as requested). */
    record ForScope(String scope) implements Trigger {
        @Override
        public boolean isMet(LoginFacts login) {
            return login.scopes().contains(scope);
        }

        @Override
        public boolean needsNow() {
            return true;
        }
    }

    /** Reads "login 2", "days 30", "client acme-shop", "scope shop". */
    static Trigger parse(String text) {
        String[] words = text.trim().split("\\s+");
        if (words.length != 2) {
            throw new IllegalArgumentException("expected '<kind> <value>' (login 2, days 30, client acme-shop, scope "
                    + "shop), got '" + text.trim() + "'");
        }
        return switch (words[0].toLowerCase(Locale.ROOT)) {
            case "login" -> new AfterLogins(positive(words[1], 1));
            case "days" -> new DaysAfterRegistration(positive(words[1], 0));
            case "client" -> new ForClient(words[1]);
            case "scope" -> new ForScope(words[1]);
            default -> throw new IllegalArgumentException("unknown trigger '" + words[0] + "': use login, days, client "
                    + "or scope");
        };
    }

    static int positive(String number, int min) {
        try {
            int value = Integer.parseInt(number);
            if (value >= min && value <= 100_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("'" + number + "' is not a whole number from " + min + " to 100000");
    }
}
