package org.ciampack.risk.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Collectors;
import org.ciampack.risk.WatchedFile;

/**
 * A list of bad addresses kept in a file (one address or network per line, {@code #} comments), such as Tor exit
 * nodes fetched by a cron job; re-read when the file changes.
 */
public final class CidrListFile {

    private final WatchedFile<CidrList> file;

    public CidrListFile(Path path, Clock clock) {
        file = new WatchedFile<>("IP list", path, clock, CidrListFile::read, CidrList.EMPTY);
    }

    public CidrList current() {
        return file.current();
    }

    private static CidrList read(Path path) throws IOException {
        try (var lines = Files.lines(path)) {
            return CidrList.parse(lines.map(line -> line.replaceAll("#.*", "").strip())
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.joining("\n")));
        }
    }
}
