package org.ciampack.risk.signal;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.ciampack.risk.Finding;
import org.ciampack.risk.LoginAttempt;
import org.ciampack.risk.net.CidrList;

/** Scores a client address found in the deny list; notes one in the allow list or one that is no address. */
final class IpReputationSignal implements RiskSignal {

    private final Function<String, CidrList> lists;

    IpReputationSignal(Function<String, CidrList> lists) {
        this.lists = lists;
    }

    @Override
    public Finding evaluate(LoginAttempt attempt, Map<String, String> stepConfig) {
        Optional<InetAddress> address = attempt.address();
        if (address.isEmpty()) {
            return Finding.note("ip_unknown");
        }
        if (lists.apply(stepConfig.get(IpReputationSignalFactory.DENY_LIST)).contains(address.get())) {
            return Finding.of(1, "ip_denied");
        }
        if (lists.apply(stepConfig.get(IpReputationSignalFactory.ALLOW_LIST)).contains(address.get())) {
            return Finding.note("ip_allowed");
        }
        return Finding.NOTHING;
    }
}
