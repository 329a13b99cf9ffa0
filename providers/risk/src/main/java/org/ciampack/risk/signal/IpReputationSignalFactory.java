package org.ciampack.risk.signal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.ciampack.common.ParsedOnce;
import org.ciampack.risk.net.CidrList;
import org.ciampack.risk.net.CidrListFile;
import org.keycloak.Config;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** IP reputation from the admin's own deny and allow lists of networks (IPv4 and IPv6 CIDR). */
public final class IpReputationSignalFactory implements RiskSignalFactory {

    public static final String ID = "ip-reputation";
    public static final String DENY_LIST = "ip-deny-list";
    public static final String ALLOW_LIST = "ip-allow-list";

    private static final Logger LOG = Logger.getLogger(IpReputationSignalFactory.class);
    // Lists are parsed once per distinct configuration text, not on every login.
    private final ParsedOnce<String, CidrList> parsed = new ParsedOnce<>(IpReputationSignalFactory::parse);

    private CidrListFile badAddresses;

    /** Server-wide: {@code --spi-ciam-risk-signal--ip-reputation--deny-list-file=/path}, re-read when it changes. */
    @Override
    public void init(Config.Scope config) {
        String file = config.get("deny-list-file");
        badAddresses = file == null || file.isBlank() ? null : new CidrListFile(Path.of(file), Clock.systemUTC());
    }

    @Override
    public RiskSignal create(KeycloakSession session) {
        return new IpReputationSignal(this::list, badAddresses == null ? () -> CidrList.EMPTY : badAddresses::current);
    }

    CidrList list(String text) {
        return text == null || text.isBlank() ? CidrList.EMPTY : parsed.of(text);
    }

    private static CidrList parse(String text) {
        CidrList list = CidrList.parse(text);
        if (!list.rejected().isEmpty()) {
            LOG.warnf("Risk assessment: ignoring entries that are not IP networks in an IP list: %s", list.rejected());
        }
        return list;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public int defaultWeight() {
        return 100;
    }

    @Override
    public String helpText() {
        return "IP reputation: a client address in the deny list (or the server's list file of bad addresses) scores "
                + "this weight; one in the allow list never scores here.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(DENY_LIST).label("IP deny list")
                .helpText("Networks whose logins score as IP reputation risk, e.g. 203.0.113.0/24 or 2001:db8:bad::/48.")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
                .property().name(ALLOW_LIST).label("IP allow list")
                .helpText("Trusted networks (offices, VPN exits): never scored by IP reputation. The deny list wins "
                        + "where both match.")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
                .build();
    }
}
