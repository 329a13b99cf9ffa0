package org.ciampack.it.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * How much of the server's CPU went into the pack's own code, from a Java Flight Recorder file of the server taken
 * while {@link LoginThroughputBenchmark} ran: the share of execution samples with a frame of {@code org.ciampack}
 * on the stack (time in Keycloak or the database called from our code included), and where in our code.
 * Throughput on two shared cores varies by several percent from round to round; this figure does not.
 *
 * <pre>java ... PackCpuShare server.jfr</pre>
 */
public final class PackCpuShare {

    public static void main(String[] args) throws IOException {
        List<RecordedEvent> samples = RecordingFile.readAllEvents(Path.of(args[0])).stream()
                .filter(event -> event.getEventType().getName().equals("jdk.ExecutionSample"))
                .filter(event -> event.getStackTrace() != null)
                .toList();
        Map<String, Integer> byEntry = new HashMap<>();
        int ours = 0;
        for (RecordedEvent sample : samples) {
            List<RecordedFrame> frames = sample.getStackTrace().getFrames();
            // The outermost pack frame says which part of the pack the time belongs to.
            for (int i = frames.size() - 1; i >= 0; i--) {
                String type = frames.get(i).getMethod().getType().getName();
                if (type.startsWith("org.ciampack.")) {
                    byEntry.merge(type.substring(type.lastIndexOf('.') + 1) + "." + frames.get(i).getMethod().getName(), 1, Integer::sum);
                    ours++;
                    break;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples, %d with pack code on the stack: %.2f %%%n",
                samples.size(), ours, 100.0 * ours / Math.max(1, samples.size()));
        byEntry.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .forEach(entry -> System.out.printf(Locale.ROOT, "  %6.2f %%  %s%n",
                        100.0 * entry.getValue() / Math.max(1, samples.size()), entry.getKey()));
    }
}
