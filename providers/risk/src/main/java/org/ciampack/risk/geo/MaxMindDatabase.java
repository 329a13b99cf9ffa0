package org.ciampack.risk.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One MaxMind DB file, opened with MaxMind's reader and reopened when the file is replaced (as geoipupdate does),
 * checked at most every few seconds. A missing or broken file means no answers, never a failed login.
 */
final class MaxMindDatabase {

    private static final Logger LOG = Logger.getLogger(MaxMindDatabase.class);
    private static final long RECHECK_MILLIS = 10_000;

    private final String kind;
    private final Path path;
    private final Clock clock;
    private volatile Reader reader;
    private volatile FileTime loadedVersion;
    private volatile long nextCheck;
    private String problem;

    MaxMindDatabase(String kind, Path path, Clock clock) {
        this.kind = kind;
        this.path = path;
        this.clock = clock;
        reload();
    }

    boolean isOpen() {
        return reader != null;
    }

    @SuppressWarnings("unchecked")
    Optional<Map<String, Object>> lookup(InetAddress address) {
        if (clock.millis() >= nextCheck) {
            reload();
        }
        Reader current = reader;
        if (current == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((Map<String, Object>) current.get(address, Map.class));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("GeoIP %s database %s: lookup failed, treating the address as unknown: %s", kind, path, e.toString());
            return Optional.empty();
        }
    }

    private synchronized void reload() {
        nextCheck = clock.millis() + RECHECK_MILLIS;
        try {
            FileTime version = Files.getLastModifiedTime(path);
            if (version.equals(loadedVersion)) {
                return;
            }
            // The replaced reader is not closed: lookups in flight may still use it; its memory map goes with it.
            reader = new Reader(path.toFile(), new CHMCache());
            loadedVersion = version;
            problem = null;
            LOG.infof("GeoIP %s database loaded from %s (%s)", kind, path, reader.getMetadata().databaseType());
        } catch (IOException | RuntimeException e) {
            // Said once per new problem, not every few seconds; a database already loaded keeps answering.
            String now = e.getClass().getSimpleName();
            if (!now.equals(problem)) {
                problem = now;
                LOG.warnf("GeoIP %s database %s cannot be read (%s): %s", kind, path, now,
                        reader == null ? "signals that need it are off until it can" : "still using the last good copy");
            }
        }
    }
}
