package org.ciampack.federation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.ciampack.common.AddressPolicy;
import org.jboss.logging.Logger;

/**
 * Which legacy database hosts this server connects to. The admin who adds a store names the host, so without this a
 * realm admin could aim the server at its own network (its own database on loopback, cloud metadata, internal
 * services) and send the vault password there. Every address the name resolves to must be allowed: a driver may try
 * each in turn (MySQL's does). A name that does not resolve passes; its connection fails as a database that is down.
 */
final class DatabaseDestinations {

    static final String OPTION = "spi-storage--" + LegacyStoreProviderFactory.ID + "--allowed-destinations";
    private static final Logger LOG = Logger.getLogger(DatabaseDestinations.class);

    /** How a name is resolved: the JVM's resolver, the one the drivers use. */
    interface Resolver {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    private final AddressPolicy policy;
    private final Resolver resolver;

    DatabaseDestinations(AddressPolicy policy) {
        this(policy, InetAddress::getAllByName);
    }

    DatabaseDestinations(AddressPolicy policy, Resolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    /**
     * Why the server does not connect to {@code host}, in words for the admin (the same whatever the address, so that
     * a store is no probe of the internal name service); the address and its class go to the server log.
     */
    Optional<String> refusal(String host) {
        InetAddress[] addresses;
        try {
            addresses = resolver.addresses(host);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = policy.refusal(address);
            if (kind.isPresent()) {
                LOG.debugf("Legacy database host %s resolves to %s, %s", host, address.getHostAddress(), kind.get());
                return Optional.of("The JDBC URL's host " + host + " is not one this server connects to: a legacy "
                        + "database must be at a public address unless the operator allows its range with the server "
                        + "option " + OPTION);
            }
        }
        return Optional.empty();
    }
}
