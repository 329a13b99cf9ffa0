package org.ciampack.risk.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import org.ciampack.risk.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CidrListFileTest {

    @TempDir
    Path folder;

    @Test
    void readsAddressesAndNetworksSkippingCommentsAndJunk() throws IOException {
        Path file = Files.writeString(folder.resolve("tor.txt"), "# Tor exits\n203.0.113.99\n\n198.51.100.0/28  # a range\nnot-an-ip\n");

        CidrList list = new CidrListFile(file, Clock.systemUTC()).current();

        assertThat(list.contains(ip("203.0.113.99"))).isTrue();
        assertThat(list.contains(ip("198.51.100.15"))).isTrue();
        assertThat(list.contains(ip("198.51.100.16"))).isFalse();
        assertThat(list.rejected()).containsExactly("not-an-ip");
    }

    @Test
    void aChangedFileIsReReadAndAVanishedOneKeepsTheLastList() throws IOException {
        Path file = Files.writeString(folder.resolve("bad.txt"), "203.0.113.1\n");
        TestClock clock = new TestClock();
        CidrListFile list = new CidrListFile(file, clock);
        assertThat(list.current().contains(ip("203.0.113.1"))).isTrue();

        Path next = Files.writeString(folder.resolve("bad.txt.new"), "203.0.113.2\n");
        Files.setLastModifiedTime(next, FileTime.from(Instant.now().plusSeconds(60)));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        clock.advance(11_000);
        assertThat(list.current().contains(ip("203.0.113.2"))).isTrue();
        assertThat(list.current().contains(ip("203.0.113.1"))).isFalse();

        Files.delete(file);
        clock.advance(11_000);
        assertThat(list.current().contains(ip("203.0.113.2"))).isTrue();
    }

    @Test
    void aMissingFileIsAnEmptyList() {
        assertThat(new CidrListFile(folder.resolve("absent.txt"), Clock.systemUTC()).current().networks()).isEmpty();
    }

    private static InetAddress ip(String literal) {
        return IpAddress.parse(literal).orElseThrow();
    }
}
