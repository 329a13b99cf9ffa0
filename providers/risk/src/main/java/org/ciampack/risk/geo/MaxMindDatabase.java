package org.ciampack.risk.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.ciampack.risk.WatchedFile;
import org.jboss.logging.Logger;

/**
 * One MaxMind DB file, opened with MaxMind's reader and reopened when the file is replaced (as geoipupdate does).
 * A missing or broken file means no answers, never a failed login.
 */
final class MaxMindDatabase {

    private static final Logger LOG = Logger.getLogger(MaxMindDatabase.class);

    private final String kind;
    private final Path path;
    // A replaced reader is not closed: lookups in flight may still use it; its memory map goes with it.
    private final WatchedFile<Reader> file;

    MaxMindDatabase(String kind, Path path, Clock clock) {
        this.kind = kind;
        this.path = path;
        this.file = new WatchedFile<>("GeoIP " + kind + " database", path, clock,
                p -> new Reader(p.toFile(), new CHMCache()), null);
    }

    @SuppressWarnings("unchecked")
    Optional<Map<String, Object>> lookup(InetAddress address) {
        Reader reader = file.current();
        if (reader == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((Map<String, Object>) reader.get(address, Map.class));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("GeoIP %s database %s: lookup failed, treating the address as unknown: %s", kind, path, e.toString());
            return Optional.empty();
        }
    }
}
