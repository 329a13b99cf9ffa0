package org.ciampack.risk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ciampack.risk.RiskEngine.WeightedSignal;
import org.ciampack.risk.geo.GeoFacts;
import org.ciampack.risk.history.PastLogin;
import org.ciampack.risk.net.IpAddress;
import org.ciampack.risk.signal.HistorySignals;
import org.ciampack.risk.signal.IpReputationSignalFactory;
import org.ciampack.risk.signal.RiskSignal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full risk evaluation as the login step runs it once its inputs are gathered: every built-in signal, a user
 * with 50 past logins, deny and allow lists of realistic size. Database and GeoIP reads are measured apart.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RiskEvaluationBenchmark {

    private List<WeightedSignal> signals;
    private Map<String, String> config;
    private LoginAttempt usual;
    private LoginAttempt faraway;
    private final RiskPolicy policy = new RiskPolicy(40, 70, false);

    @Setup
    public void setUp() {
        StringBuilder deny = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            deny.append("10.").append(i).append(".0.0/16##");
        }
        config = Map.of(IpReputationSignalFactory.DENY_LIST, deny + "192.0.2.66/32##2001:db8:bad::/48",
                IpReputationSignalFactory.ALLOW_LIST, "172.16.0.0/12##2001:db8:1::/48");
        signals = new ArrayList<>();
        add(new IpReputationSignalFactory().create(null), "ip-reputation", 100);
        add(new HistorySignals.NewDevice(), "new-device", 25);
        add(new HistorySignals.NewCountry(), "new-country", 30);
        add(new HistorySignals.NewNetwork(), "new-network", 10);
        add(new HistorySignals.Travel(), "impossible-travel", 80);
        add(new HistorySignals.UnusualHour(), "unusual-hour", 10);
        add(new HistorySignals.Anonymizer(), "anonymizer", 20);

        Instant now = Instant.now();
        List<PastLogin> history = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            history.add(new PastLogin(now.minusSeconds(3600L * (i + 1)), 0, "low", i % 5 == 0 ? "AT" : "DE",
                    "Berlin", 52.52, 13.405, 20, 64500L + i % 3, "device-" + (i % 4), "Chrome", "198.51.100.0/24", 9 + i % 8));
        }
        GeoFacts berlin = new GeoFacts("DE", "Berlin", 52.52, 13.405, 20, "Europe/Berlin", 64500L, "Demo", false);
        GeoFacts sydney = new GeoFacts("AU", "Sydney", -33.87, 151.21, 20, "Australia/Sydney", 64501L, "Demo", false);
        usual = new LoginAttempt("realm", "user", "198.51.100.7", IpAddress.parse("198.51.100.7"), "Chrome", now,
                berlin, "device-1", history);
        faraway = new LoginAttempt("realm", "user", "203.0.113.7", IpAddress.parse("203.0.113.7"), "Chrome", now,
                sydney, null, history);
    }

    private void add(RiskSignal signal, String id, int weight) {
        signals.add(new WeightedSignal(id, weight, signal::evaluate));
    }

    @Benchmark
    public RiskAssessment usualLogin() {
        return RiskEngine.assess(policy, signals, usual, config);
    }

    @Benchmark
    public RiskAssessment impossibleTravelFromANewDevice() {
        return RiskEngine.assess(policy, signals, faraway, config);
    }

}
