package org.ciampack.risk.signal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.ciampack.risk.Finding;
import org.ciampack.risk.ImpossibleTravel;
import org.ciampack.risk.LocalHour;
import org.ciampack.risk.LoginAttempt;
import org.ciampack.risk.StepSettings;
import org.ciampack.risk.history.PastLogin;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The signals that compare a login with the user's own history. Each is stateless, so one object is both the
 * factory and the signal. With no history yet (a first login), they say {@code history_thin} and score nothing:
 * every first login would otherwise be "new".
 */
public final class HistorySignals {

    private HistorySignals() {
    }

    /** A stateless signal: its own factory. */
    abstract static class Stateless implements RiskSignalFactory, RiskSignal {

        @Override
        public RiskSignal create(KeycloakSession session) {
            return this;
        }

        @Override
        public void close() {
        }
    }

    /** Shared by the "is this value new for the user?" signals. */
    abstract static class Novelty extends Stateless {

        private final String reason;
        private final String unknownReason;
        private final Function<PastLogin, Object> known;

        Novelty(String reason, String unknownReason, Function<PastLogin, Object> known) {
            this.reason = reason;
            this.unknownReason = unknownReason;
            this.known = known;
        }

        abstract Object current(LoginAttempt attempt);

        @Override
        public Finding evaluate(LoginAttempt attempt, Map<String, String> stepConfig) {
            if (attempt.history().isEmpty()) {
                return Finding.note("history_thin");
            }
            Object value = current(attempt);
            if (value == null) {
                // No device cookie is itself a new device; an address GeoIP cannot place is merely unknown.
                return unknownReason.equals(reason) ? Finding.of(1, reason) : Finding.note(unknownReason);
            }
            List<Object> seen = attempt.history().stream().map(known).filter(Objects::nonNull).toList();
            return seen.contains(value) ? Finding.NOTHING : Finding.of(1, reason);
        }
    }

    public static final class NewDevice extends Novelty {
        public NewDevice() {
            super("new_device", "new_device", PastLogin::deviceId);
        }

        @Override
        Object current(LoginAttempt attempt) {
            return attempt.deviceId();
        }

        @Override
        public String getId() {
            return "new-device";
        }

        @Override
        public int defaultWeight() {
            return 25;
        }

        @Override
        public String helpText() {
            return "New device: the browser's signed device cookie is missing, tampered with, or not one the user has "
                    + "completed a login with.";
        }
    }

    public static final class NewCountry extends Novelty {
        public NewCountry() {
            super("new_country", "location_unknown", PastLogin::countryCode);
        }

        @Override
        Object current(LoginAttempt attempt) {
            return attempt.geo().countryCode();
        }

        @Override
        public String getId() {
            return "new-country";
        }

        @Override
        public int defaultWeight() {
            return 30;
        }

        @Override
        public String helpText() {
            return "New country: GeoIP places the address in a country the user has not logged in from.";
        }
    }

    public static final class NewNetwork extends Novelty {
        public NewNetwork() {
            super("new_network", "network_unknown", PastLogin::asn);
        }

        @Override
        Object current(LoginAttempt attempt) {
            return attempt.geo().asn();
        }

        @Override
        public String getId() {
            return "new-network";
        }

        @Override
        public int defaultWeight() {
            return 10;
        }

        @Override
        public String helpText() {
            return "New network: the address belongs to an autonomous system (ASN) the user has not logged in from; "
                    + "needs the ASN database.";
        }
    }

    /**
     * An address the Anonymous-IP database lists as a VPN, proxy or Tor exit: not proof of an attack, but it hides
     * where the user is, so it adds some risk of its own. Needs no history.
     */
    public static final class Anonymizer extends Stateless {

        @Override
        public Finding evaluate(LoginAttempt attempt, Map<String, String> stepConfig) {
            return attempt.geo().anonymizer() ? Finding.of(1, "anonymizer") : Finding.NOTHING;
        }

        @Override
        public String getId() {
            return "anonymizer";
        }

        @Override
        public int defaultWeight() {
            return 20;
        }

        @Override
        public String helpText() {
            return "Anonymizer: the address is a VPN, public proxy or Tor exit per the Anonymous-IP database.";
        }
    }

    /** Off by default (weight 0): logins at an hour the user has not logged in at, in their own local time. */
    public static final class UnusualHour extends Stateless {

        /** Fewer past logins with a known hour than this is too thin a history to call an hour unusual. */
        static final int MIN_HISTORY = 10;

        @Override
        public Finding evaluate(LoginAttempt attempt, Map<String, String> stepConfig) {
            Integer hour = LocalHour.of(attempt.time(), attempt.geo().timeZone());
            if (hour == null) {
                return Finding.note("location_unknown");
            }
            List<Integer> seen = attempt.history().stream().map(PastLogin::localHour).filter(Objects::nonNull).toList();
            if (seen.size() < MIN_HISTORY) {
                return Finding.note("history_thin");
            }
            // An hour next to a usual one is usual too: people are not that punctual.
            boolean usual = seen.stream().anyMatch(past -> Math.floorMod(past - hour + 1, 24) <= 2);
            return usual ? Finding.NOTHING : Finding.of(1, "unusual_hour");
        }

        @Override
        public String getId() {
            return "unusual-hour";
        }

        @Override
        public int defaultWeight() {
            return 0;
        }

        @Override
        public String helpText() {
            return "Unusual hour: more than an hour away from every hour of day (in the user's local time, from GeoIP) "
                    + "of their last logins; needs 10 of them. Off (0) by default.";
        }
    }

    public static final class Travel extends Stateless {

        static final String MAX_SPEED = "impossible-travel-max-kmh";
        static final double DEFAULT_MAX_SPEED = 900;

        @Override
        public Finding evaluate(LoginAttempt attempt, Map<String, String> stepConfig) {
            if (attempt.geo().anonymizer()) {
                return Finding.note("anonymizer"); // a VPN's exit says nothing about where the user is
            }
            if (!attempt.geo().hasLocation()) {
                return Finding.note("location_unknown");
            }
            PastLogin last = attempt.history().stream().filter(PastLogin::hasLocation).findFirst().orElse(null);
            if (last == null) {
                return Finding.note("history_thin");
            }
            ImpossibleTravel.Fix from = new ImpossibleTravel.Fix(last.latitude(), last.longitude(),
                    last.accuracyRadiusKm(), last.time());
            ImpossibleTravel.Fix to = new ImpossibleTravel.Fix(attempt.geo().latitude(), attempt.geo().longitude(),
                    attempt.geo().accuracyRadiusKm(), attempt.time());
            double maxSpeed = StepSettings.decimal(stepConfig.get(MAX_SPEED), DEFAULT_MAX_SPEED, 1, 1_000_000);
            return ImpossibleTravel.isImpossible(from, to, maxSpeed)
                    ? Finding.of(1, "impossible_travel") : Finding.NOTHING;
        }

        @Override
        public String getId() {
            return "impossible-travel";
        }

        @Override
        public int defaultWeight() {
            return 80;
        }

        @Override
        public String helpText() {
            return "Impossible travel: getting here from the last successful login's place in the time since would "
                    + "need more than the top speed (GeoIP accuracy allowed for; not judged for anonymizers).";
        }

        @Override
        public List<ProviderConfigProperty> getConfigProperties() {
            return ProviderConfigurationBuilder.create()
                    .property().name(MAX_SPEED).label("Impossible travel: top speed (km/h)")
                    .helpText("Faster than this between two logins is impossible travel. 900 km/h is an airliner.")
                    .type(ProviderConfigProperty.STRING_TYPE).defaultValue("900").add()
                    .build();
        }
    }
}
