package org.ciampack.risk.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an IP address literal, and only a literal: whatever reaches us as "the client address" may come from a
 * header, and must never trigger a DNS lookup or an exception.
 */
public final class IpAddress {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}(%[\\w.-]{1,32})?");

    private IpAddress() {
    }

    /** The address, or empty when {@code text} is not an IPv4 or IPv6 literal (with or without [brackets]). */
    public static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String literal = text.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        boolean v4 = IPV4.matcher(literal).matches();
        boolean v6 = !v4 && literal.indexOf(':') >= 0 && IPV6.matcher(literal).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            // A literal in either form: getByName does not resolve it, it only parses.
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }
}
