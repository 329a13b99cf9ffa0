package org.ciampack.risk.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Reader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the writer produces must read, with MaxMind's own reader, like a real GeoIP2 database. */
class MaxMindDbWriterTest {

    @Test
    void cityRecordsReadBackForIpv4AndIpv6Networks() throws IOException {
        Reader reader = read(new MaxMindDbWriter("GeoIP2-City", "test")
                .insert("198.51.100.0/24", city("Berlin", "DE", 52.52, 13.405, "Europe/Berlin"))
                .insert("2001:db8::/32", city("Paris", "FR", 48.8566, 2.3522, "Europe/Paris")));

        DatabaseRecord<Map> berlin = reader.getRecord(InetAddress.getByName("198.51.100.77"), Map.class);
        assertThat(berlin.network().prefixLength()).isEqualTo(24);
        assertThat(at(berlin.data(), "city", "names", "en")).isEqualTo("Berlin");
        assertThat(at(berlin.data(), "country", "iso_code")).isEqualTo("DE");
        assertThat(((Number) at(berlin.data(), "location", "latitude")).doubleValue()).isEqualTo(52.52);
        assertThat(((Number) at(berlin.data(), "location", "accuracy_radius")).intValue()).isEqualTo(20);

        Map<?, ?> paris = reader.get(InetAddress.getByName("2001:db8:abcd::1"), Map.class);
        assertThat(at(paris, "location", "time_zone")).isEqualTo("Europe/Paris");
        assertThat(reader.get(InetAddress.getByName("203.0.113.1"), Map.class)).isNull();
        assertThat(reader.get(InetAddress.getByName("2001:db9::1"), Map.class)).isNull();
    }

    @Test
    void metadataDescribesTheDatabase() throws IOException {
        Reader reader = read(new MaxMindDbWriter("GeoLite2-ASN", "demo").insert("192.0.2.0/24", Map.of()));

        assertThat(reader.getMetadata().databaseType()).isEqualTo("GeoLite2-ASN");
        assertThat(reader.getMetadata().ipVersion()).isEqualTo(6);
        assertThat(reader.getMetadata().nodeCount()).isPositive();
        assertThat(reader.getMetadata().languages()).containsExactly("en");
    }

    @Test
    void numbersFlagsListsAndLongStringsRoundTrip() throws IOException {
        String longText = "x".repeat(70_000);
        Reader reader = read(new MaxMindDbWriter("GeoIP2-Anonymous-IP", "test")
                .insert("203.0.113.128/25", Map.of("is_anonymous", true, "is_tor_exit_node", false,
                        "autonomous_system_number", 64501L, "negative", -5, "list", List.of("a", 2, 3.5),
                        "medium", "y".repeat(300), "long", longText)));

        Map<?, ?> record = reader.get(InetAddress.getByName("203.0.113.200"), Map.class);
        assertThat(record.get("is_anonymous")).isEqualTo(true);
        assertThat(record.get("is_tor_exit_node")).isEqualTo(false);
        assertThat(((Number) record.get("autonomous_system_number")).longValue()).isEqualTo(64501L);
        assertThat(((Number) record.get("negative")).intValue()).isEqualTo(-5);
        assertThat((List<?>) record.get("list")).hasSize(3);
        assertThat(record.get("medium")).isEqualTo("y".repeat(300));
        assertThat(record.get("long")).isEqualTo(longText);
        assertThat(reader.get(InetAddress.getByName("203.0.113.127"), Map.class)).isNull();
    }

    @Test
    void refusesBadAndOverlappingNetworks() {
        MaxMindDbWriter writer = new MaxMindDbWriter("x", "x").insert("198.51.100.0/24", Map.of());

        assertThatThrownBy(() -> writer.insert("198.51.100.128/25", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.insert("198.51.0.0/16", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.insert("example.com/24", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.insert("10.0.0.0/33", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    static Map<String, Object> city(String name, String country, double latitude, double longitude, String timeZone) {
        return Map.of("city", Map.of("names", Map.of("en", name)),
                "country", Map.of("iso_code", country, "names", Map.of("en", country)),
                "location", Map.of("latitude", latitude, "longitude", longitude, "accuracy_radius", 20,
                        "time_zone", timeZone));
    }

    private static Reader read(MaxMindDbWriter writer) throws IOException {
        return new Reader(new ByteArrayInputStream(writer.toBytes()));
    }

    private static Object at(Map<?, ?> record, String... path) {
        Object value = record;
        for (String key : path) {
            value = ((Map<?, ?>) value).get(key);
        }
        return value;
    }
}
