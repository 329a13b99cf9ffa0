package org.ciampack.federation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.ciampack.common.AddressPolicy;
import org.ciampack.common.NameLookup;
import org.jboss.logging.Logger;

/**
 * Which legacy database hosts this server connects to. The admin who adds a store names the host, so without this a
 * realm admin could aim the server at its own network (its own database on loopback, cloud metadata, internal
 * services) and send the vault password there. Every address the name resolves to must be allowed: a driver may try
 * each in turn (MySQL's does).
 *
 * <p>Names are looked up through {@link NameLookup}, within a time limit and as one of the realm's lookups (by its
 * name, as the export's are): the JDK's lookup of a name whose DNS servers do not answer holds its thread for tens
 * of seconds, past the store's timeout, and a realm's slow names must not hold every realm's sign-ins.
 */
final class DatabaseDestinations {

    static final String OPTION = "spi-storage--" + LegacyStoreProviderFactory.ID + "--allowed-destinations";
    private static final Logger LOG = Logger.getLogger(DatabaseDestinations.class);

    /** How a name is looked up, as {@link NameLookup#resolve(String, String, Duration)} does. */
    interface Resolver {
        InetAddress[] addresses(String host, String owner, Duration limit) throws UnknownHostException;
    }

    private final AddressPolicy policy;
    private final Resolver resolver;

    DatabaseDestinations(AddressPolicy policy) {
        this(policy, NameLookup.SYSTEM::resolve);
    }

    DatabaseDestinations(AddressPolicy policy, Resolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    /**
     * As {@link #refusal(String, String, Duration)} for an admin's save, within {@link AddressPolicy#LOOKUP_LIMIT}: a
     * name with no address (yet, or not within the limit) is saved, and its connections fail as a database that is
     * down, since every connection is checked again.
     */
    Optional<String> refusalOnSave(String host, String realm) {
        try {
            return refusal(host, realm, AddressPolicy.LOOKUP_LIMIT);
        } catch (UnknownHostException e) {
            LOG.debugf("Legacy database host %s saved unresolved: %s", host, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Why the server does not connect to {@code host}, in words for the admin (the same whatever the address, so that
     * a store is no probe of the internal name service); the address and its class go to the server log. Throws when
     * the name has no address within {@code limit}, or its realm has too many slow lookups running.
     */
    Optional<String> refusal(String host, String realm, Duration limit) throws UnknownHostException {
        for (InetAddress address : resolver.addresses(host, realm, limit)) {
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
