package org.ciampack.common;

import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A destination the address policy refuses. An {@link UnknownHostException}, so that an HTTP client's resolver can
 * throw it and the connection is never opened. The message names the class of address (loopback, private, ...) only
 * for an address typed as such: for a host name it would tell a realm admin what the server's internal names
 * resolve to. {@link #reason()} has it for the server log.
 */
public final class DestinationRefusedException extends UnknownHostException {

    private static final Pattern ADDRESS_LITERAL = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?|[0-9.]+");

    private final String reason;

    public DestinationRefusedException(String host, String reason) {
        super("destination refused: " + host + (ADDRESS_LITERAL.matcher(host).matches()
                ? " is " + reason + ", which this server does not connect to (an operator can allow it with "
                : " is not at an address this server connects to (an operator can allow its range with ")
                + "allowed-destinations)");
        this.reason = reason;
    }

    /** The class of address refused, e.g. "a loopback address". */
    public String reason() {
        return reason;
    }
}
