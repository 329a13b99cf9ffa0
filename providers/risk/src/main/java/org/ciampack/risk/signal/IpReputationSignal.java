package org.ciampack.risk.signal;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ciampack.risk.Finding;
import org.ciampack.risk.LoginAttempt;
import org.ciampack.risk.net.CidrList;

/**
 * Scores a client address in the step's deny list or the server's list file; notes one in the allow list (which
 * beats the file, not the step's own deny list) or one that is no address.
 */
final class IpReputationSignal implements RiskSignal {

    private final Function<String, CidrList> lists;
    private final Supplier<CidrList> badAddresses;

    IpReputationSignal(Function<String, CidrList> lists, Supplier<CidrList> badAddresses) {
        this.lists = lists;
        this.badAddresses = badAddresses;
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
        boolean allowed = lists.apply(stepConfig.get(IpReputationSignalFactory.ALLOW_LIST)).contains(address.get());
        if (allowed) {
            return Finding.note("ip_allowed");
        }
        if (badAddresses.get().contains(address.get())) {
            return Finding.of(1, "ip_listed");
        }
        return Finding.NOTHING;
    }
}
