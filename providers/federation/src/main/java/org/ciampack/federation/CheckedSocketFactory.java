package org.ciampack.federation;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Optional;
import javax.net.SocketFactory;
import org.ciampack.common.AddressPolicy;
import org.jboss.logging.Logger;

/**
 * The sockets PostgreSQL's and MariaDB's drivers open for legacy stores (their {@code socketFactory} property). Each
 * is checked against the allowed destinations at the moment it connects, to the address the driver resolved: a
 * store's host is also checked before each lookup, but the driver resolves the name again, so a name whose answer
 * changes in between (DNS rebinding) would otherwise reach the server's own network. The drivers make it by its
 * class name, so the policy is the server's, set once. MySQL's driver takes a socket factory of its own kind: its
 * stores have the check before each lookup only.
 */
public final class CheckedSocketFactory extends SocketFactory {

    private static final Logger LOG = Logger.getLogger(CheckedSocketFactory.class);
    private static volatile AddressPolicy policy = AddressPolicy.DEFAULT;

    /** For the drivers, which make it by its class name. */
    public CheckedSocketFactory() {
    }

    static void policy(AddressPolicy serverPolicy) {
        policy = serverPolicy;
    }

    @Override
    public Socket createSocket() {
        return new CheckedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = createSocket();
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static final class CheckedSocket extends Socket {

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress inet) || inet.isUnresolved()) {
                // e.g. a SOCKS proxy set for the JVM (socksProxyHost): the driver leaves the name to the proxy
                LOG.warnf("Legacy customer database connection to %s refused: the driver did not resolve the address, "
                        + "so it cannot be checked (is a SOCKS proxy set for the JVM?)", endpoint);
                throw new ConnectException("A legacy database address must be resolved before it is checked");
            }
            Optional<String> refusal = policy.refusal(inet.getAddress());
            if (refusal.isPresent()) {
                LOG.warnf("Legacy customer database connection to %s refused: %s (server option %s)",
                        inet.getAddress().getHostAddress(), refusal.get(), DatabaseDestinations.OPTION);
                throw new ConnectException("The legacy database's address is not one this server connects to");
            }
            super.connect(endpoint, timeout);
        }
    }
}
