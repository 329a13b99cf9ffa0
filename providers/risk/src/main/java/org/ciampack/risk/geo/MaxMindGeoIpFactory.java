package org.ciampack.risk.geo;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * GeoIP from MaxMind GeoIP2 / GeoLite2 files, set per server:
 * {@code --spi-ciam-geoip--maxmind--city-database=/opt/geoip/GeoLite2-City.mmdb} (also {@code asn-database},
 * {@code anonymous-ip-database}). Without a City database the location signals stay silent.
 */
public final class MaxMindGeoIpFactory implements GeoIpFactory, ServerInfoAwareProviderFactory {

    public static final String ID = "maxmind";
    private static final Logger LOG = Logger.getLogger(MaxMindGeoIpFactory.class);

    private String cityPath;
    private String asnPath;
    private String anonymousIpPath;
    private MaxMindGeoIp geoIp;

    @Override
    public void init(Config.Scope config) {
        cityPath = config.get("city-database");
        asnPath = config.get("asn-database");
        anonymousIpPath = config.get("anonymous-ip-database");
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        if (cityPath == null) {
            LOG.warn("No GeoIP City database configured (--spi-ciam-geoip--maxmind--city-database): "
                    + "new-country, impossible-travel and local-time risk signals are off.");
        }
        geoIp = new MaxMindGeoIp(open("City", cityPath), open("ASN", asnPath), open("Anonymous-IP", anonymousIpPath));
    }

    private static MaxMindDatabase open(String kind, String path) {
        return path == null || path.isBlank() ? null : new MaxMindDatabase(kind, Path.of(path), Clock.systemUTC());
    }

    @Override
    public GeoIp create(KeycloakSession session) {
        return new RequestGeoIp(geoIp);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("city-database").type("string")
                .helpText("Path of a GeoIP2/GeoLite2 City database (.mmdb); reloaded when the file is replaced.").add()
                .property().name("asn-database").type("string")
                .helpText("Path of a GeoIP2/GeoLite2 ASN database, for the new-network signal.").add()
                .property().name("anonymous-ip-database").type("string")
                .helpText("Path of a GeoIP2 Anonymous-IP database: VPN, proxy and Tor addresses.").add()
                .build();
    }

    @Override
    public java.util.Map<String, String> getOperationalInfo() {
        return java.util.Map.of("city-database", String.valueOf(cityPath), "asn-database", String.valueOf(asnPath),
                "anonymous-ip-database", String.valueOf(anonymousIpPath));
    }

    @Override
    public void close() {
    }
}
