package org.ciampack.common;

import java.net.UnknownHostException;

/**
 * A destination the address policy refuses. An {@link UnknownHostException}, so that an HTTP client's resolver can
 * throw it and the connection is never opened.
 */
public final class DestinationRefusedException extends UnknownHostException {

    public DestinationRefusedException(String host, String reason) {
        super("destination refused: " + host + " resolves to " + reason
                + ", which this server does not connect to (an operator can allow it with allowed-destinations)");
    }
}
