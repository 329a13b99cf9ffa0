package org.ciampack.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.ciampack.it.harness.Settings;

/** A benchmark's report: each line to the console and to a Markdown file under the test output, started afresh. */
final class BenchReport {

    private final Path file;

    BenchReport(String name) {
        this.file = Settings.output().resolve(name);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void print(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.print(text);
        try {
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
