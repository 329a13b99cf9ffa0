package org.ciampack.risk.history;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;
import javax.crypto.SecretKey;
import org.ciampack.common.RealmKey;
import org.ciampack.risk.net.IpAddress;

/** How much of a client address the history keeps: privacy by default. */
public enum IpStorage {
    /** The network only: IPv4 /24, IPv6 /48. */
    TRUNCATED,
    /** A keyed hash (HMAC-SHA256 with the realm's secret): equal addresses compare equal, none can be read back. */
    HASHED,
    /** Nothing. */
    NONE;

    static IpStorage fromOption(String option) {
        return valueOf(option.strip().toUpperCase(Locale.ROOT));
    }

    public String store(String address, Supplier<SecretKey> realmKey) {
        InetAddress ip = IpAddress.parse(address).orElse(null);
        if (ip == null || this == NONE) {
            return null;
        }
        if (this == TRUNCATED) {
            byte[] bytes = ip.getAddress();
            int keep = ip instanceof Inet4Address ? 3 : 6;
            Arrays.fill(bytes, keep, bytes.length, (byte) 0);
            try {
                return InetAddress.getByAddress(bytes).getHostAddress() + (ip instanceof Inet4Address ? "/24" : "/48");
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return HexFormat.of().formatHex(RealmKey.mac(realmKey.get(), ip.getHostAddress()), 0, 16);
    }
}
