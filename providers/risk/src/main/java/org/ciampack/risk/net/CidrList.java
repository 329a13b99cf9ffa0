package org.ciampack.risk.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** An admin's list of networks. Entries that do not parse are kept aside so the caller can report them. */
public record CidrList(List<Cidr> networks, List<String> rejected) {

    public static final CidrList EMPTY = new CidrList(List.of(), List.of());

    /** Parses entries separated by commas, whitespace or Keycloak's multivalued delimiter {@code ##}. */
    public static CidrList parse(String entries) {
        if (entries == null || entries.isBlank()) {
            return EMPTY;
        }
        List<Cidr> networks = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (String entry : entries.split("##|[,\\s]+")) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                networks.add(Cidr.parse(entry));
            } catch (IllegalArgumentException e) {
                rejected.add(entry);
            }
        }
        return new CidrList(List.copyOf(networks), List.copyOf(rejected));
    }

    public boolean contains(InetAddress address) {
        return networks.stream().anyMatch(network -> network.contains(address));
    }
}
