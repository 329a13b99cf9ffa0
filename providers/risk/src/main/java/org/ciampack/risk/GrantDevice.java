package org.ciampack.risk;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.ciampack.common.RealmKey;
import org.ciampack.risk.net.IpAddress;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * What counts as one device for a password grant, which has no browser to keep a device cookie: the client, the
 * agent's family and the network (IPv4 /24, IPv6 /48). A customer's app signing in again and again from home is
 * then one known device, not a new one each time; the same app from another network, or another client, is new.
 * Keyed with the realm's secret, so the id reveals none of its parts.
 */
final class GrantDevice {

    private GrantDevice() {
    }

    static String of(KeycloakSession session, RealmModel realm, String clientId, String userAgent, String address) {
        byte[] mac = RealmKey.mac(session, realm, "ciam-grant-device", clientId == null ? "" : clientId,
                UserAgentFamily.of(userAgent), network(address));
        return "grant-" + HexFormat.of().formatHex(mac, 0, 12);
    }

    private static String network(String address) {
        InetAddress ip = IpAddress.parse(address).orElse(null);
        if (ip == null) {
            return "unknown";
        }
        byte[] bytes = ip.getAddress();
        Arrays.fill(bytes, ip instanceof Inet4Address ? 3 : 6, bytes.length, (byte) 0);
        return HexFormat.of().formatHex(bytes);
    }
}
