package org.ciampack.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses an outgoing connection that an admin configured may reach (export routes today). Whatever a realm
 * admin types, the server never connects to its own loopback, to link-local (cloud metadata at 169.254.169.254
 * included), private, shared (CGNAT), multicast, broadcast, unspecified or reserved addresses, unless the operator
 * allows a range with an SPI option (CIDR list). Checked on the resolved address right before connecting.
 */
public final class AddressPolicy {

    /** What refuses nothing extra: only the built-in classes above, nothing allowed beyond public addresses. */
    public static final AddressPolicy DEFAULT = new AddressPolicy(List.of());

    /** How long a name may take to resolve where the caller has no tighter deadline. */
    public static final Duration LOOKUP_LIMIT = Duration.ofSeconds(5);

    private final List<Cidr> allowed;

    private AddressPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /**
     * From the operator's CIDR list ({@code 127.0.0.1/32}, {@code 10.0.0.0/8}, {@code ::1/128}; a bare address is
     * /32 or /128).
     */
    public static AddressPolicy allowing(List<String> cidrs) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            if (cidr != null && !cidr.isBlank()) {
                parsed.add(Cidr.parse(cidr.strip()));
            }
        }
        return new AddressPolicy(parsed);
    }

    /** Why the server does not connect to this address; empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        for (Cidr range : allowed) {
            if (range.contains(address)) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(kind(address)).map(kind -> "a " + kind + " address");
    }

    /** As {@link #permitted(String, String, Duration)} for an admin's request, looked up within {@link #LOOKUP_LIMIT}. */
    public List<InetAddress> permitted(String host) throws UnknownHostException {
        return permitted(host, "admin request", LOOKUP_LIMIT);
    }

    /**
     * The addresses of {@code host} that may be connected to, in DNS order; an exception saying why when none. The
     * name is looked up within {@code lookupLimit}, as one of {@code owner}'s lookups ({@link NameLookup}): a name
     * whose DNS servers do not answer is unknown by then, rather than holding the caller past its own deadline.
     */
    public List<InetAddress> permitted(String host, String owner, Duration lookupLimit) throws UnknownHostException {
        InetAddress[] resolved = NameLookup.SYSTEM.resolve(host, owner, lookupLimit);
        List<InetAddress> permitted = new ArrayList<>();
        String reason = null;
        for (InetAddress address : resolved) {
            Optional<String> refusal = refusal(address);
            if (refusal.isEmpty()) {
                permitted.add(address);
            } else if (reason == null) {
                reason = refusal.get();
            }
        }
        if (permitted.isEmpty()) {
            throw new DestinationRefusedException(host, reason);
        }
        return permitted;
    }

    /** The class of address the server refuses by default, or null for a public one. */
    static String kind(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            InetAddress embedded = embeddedIpv4(v6.getAddress());
            if (embedded != null) {
                return kind(embedded);
            }
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local (cloud metadata)";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int a = bytes[0] & 0xff;
            int b = bytes[1] & 0xff;
            if (a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)) {
                return "private";
            }
            if (a == 100 && b >= 64 && b <= 127) {
                return "shared (carrier-grade NAT, some clouds' metadata)";
            }
            if (a == 0 || a >= 240 || (a == 192 && b == 0 && (bytes[2] & 0xff) == 0) || (a == 198 && (b == 18 || b == 19))) {
                return "reserved";
            }
            return null;
        }
        int first = bytes[0] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return "private (unique local)";
        }
        if (first == 0xfe && (bytes[1] & 0xc0) == 0xc0) {
            return "private (site-local)";
        }
        if (first == 0 && bytes[1] == 0x64 && bytes[2] == (byte) 0xff && bytes[3] == (byte) 0x9b && bytes[4] == 0
                && bytes[5] == 1) {
            return "private (local-use NAT64, 64:ff9b:1::/48)"; // RFC 8215: translates to the operator's own networks
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped, -compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address. */
    private static InetAddress embeddedIpv4(byte[] v6) {
        try {
            boolean zeroPrefix = true;
            for (int i = 0; i < 10; i++) {
                zeroPrefix &= v6[i] == 0;
            }
            boolean mapped = v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
            // IPv4-compatible ::a.b.c.d, but not :: (unspecified) or ::1 (loopback), judged as IPv6 below
            boolean compatible = v6[10] == 0 && v6[11] == 0 && !allZero(v6, 12, 16) && !(allZero(v6, 12, 15) && v6[15] == 1);
            if (zeroPrefix && (mapped || compatible)) {
                return InetAddress.getByAddress(new byte[] {v6[12], v6[13], v6[14], v6[15]});
            }
            if (v6[0] == 0 && v6[1] == 0x64 && v6[2] == (byte) 0xff && v6[3] == (byte) 0x9b && allZero(v6, 4, 12)) {
                return InetAddress.getByAddress(new byte[] {v6[12], v6[13], v6[14], v6[15]});
            }
            if (v6[0] == 0x20 && v6[1] == 0x02) {
                return InetAddress.getByAddress(new byte[] {v6[2], v6[3], v6[4], v6[5]});
            }
            return null;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An address range, e.g. {@code 127.0.0.1/32}. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            if (!host.matches("[0-9a-fA-F:.]+")) {
                // only literal addresses: a host name here would be looked up at start, once
                throw new IllegalArgumentException("allowed-destinations: '" + text + "' is not an address range");
            }
            try {
                byte[] network = InetAddress.getByName(host).getAddress();
                int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("allowed-destinations: bad prefix length in '" + text + "'");
                }
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("allowed-destinations: '" + text + "' is not an address range");
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < bytes.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((bytes[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
