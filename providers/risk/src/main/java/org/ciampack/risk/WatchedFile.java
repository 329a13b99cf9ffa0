package org.ciampack.risk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * A file an operator replaces while the server runs (GeoIP databases, lists of bad addresses): loaded at start,
 * checked for a new version at most every few seconds, and read again when it changed. A missing or unreadable
 * file keeps the last good copy, and each new problem is logged once, not on every check.
 */
public final class WatchedFile<T> {

    /** Turns the file into what the caller uses; may throw when the file is unusable. */
    @FunctionalInterface
    public interface Loader<T> {
        T load(Path path) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(WatchedFile.class);
    private static final long RECHECK_MILLIS = 10_000;

    private final String kind;
    private final Path path;
    private final Clock clock;
    private final Loader<T> loader;
    private volatile T current;
    private volatile FileTime loadedVersion;
    private volatile long nextCheck;
    private String problem;

    public WatchedFile(String kind, Path path, Clock clock, Loader<T> loader, T initial) {
        this.kind = kind;
        this.path = path;
        this.clock = clock;
        this.loader = loader;
        this.current = initial;
        reload();
    }

    /** The last good content, or the initial value when the file was never readable. */
    public T current() {
        if (clock.millis() >= nextCheck) {
            reload();
        }
        return current;
    }

    public boolean isLoaded() {
        return loadedVersion != null;
    }

    private synchronized void reload() {
        nextCheck = clock.millis() + RECHECK_MILLIS;
        try {
            FileTime version = Files.getLastModifiedTime(path);
            if (version.equals(loadedVersion)) {
                return;
            }
            current = loader.load(path);
            loadedVersion = version;
            problem = null;
            LOG.infof("%s loaded from %s", kind, path);
        } catch (IOException | RuntimeException e) {
            String now = e.getClass().getSimpleName();
            if (!now.equals(problem)) {
                problem = now;
                LOG.warnf("%s %s cannot be read (%s): %s", kind, path, now,
                        isLoaded() ? "still using the last good copy" : "what needs it is off until it can");
            }
        }
    }
}
