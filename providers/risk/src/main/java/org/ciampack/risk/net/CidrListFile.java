package org.ciampack.risk.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * A list of bad addresses kept in a file (one address or network per line, {@code #} comments), such as Tor exit
 * nodes fetched by a cron job: re-read when the file changes, checked at most every few seconds. A missing or
 * unreadable file keeps the last good list.
 */
public final class CidrListFile {

    private static final Logger LOG = Logger.getLogger(CidrListFile.class);
    private static final long RECHECK_MILLIS = 10_000;

    private final Path path;
    private final Clock clock;
    private volatile CidrList list = CidrList.EMPTY;
    private volatile FileTime loadedVersion;
    private volatile long nextCheck;
    private String problem;

    public CidrListFile(Path path, Clock clock) {
        this.path = path;
        this.clock = clock;
        reload();
    }

    public CidrList current() {
        if (clock.millis() >= nextCheck) {
            reload();
        }
        return list;
    }

    private synchronized void reload() {
        nextCheck = clock.millis() + RECHECK_MILLIS;
        try {
            FileTime version = Files.getLastModifiedTime(path);
            if (version.equals(loadedVersion)) {
                return;
            }
            String entries;
            try (var lines = Files.lines(path)) {
                entries = lines.map(line -> line.replaceAll("#.*", "").strip()).filter(line -> !line.isEmpty())
                        .collect(Collectors.joining("\n"));
            }
            CidrList parsed = CidrList.parse(entries);
            list = parsed;
            loadedVersion = version;
            problem = null;
            LOG.infof("IP list %s loaded: %d networks%s", path, parsed.networks().size(),
                    parsed.rejected().isEmpty() ? "" : ", ignored lines that are no networks: " + parsed.rejected().size());
        } catch (IOException | RuntimeException e) {
            String now = e.getClass().getSimpleName();
            if (!now.equals(problem)) {
                problem = now;
                LOG.warnf("IP list %s cannot be read (%s): keeping the last good list of %d networks", path, now,
                        list.networks().size());
            }
        }
    }
}
