package org.ciampack.events.sink;

import java.util.List;

/**
 * An open connection to one route's destination. The dispatcher hands it events in order, at most the route's
 * batch size at a time, from one thread per order key; a sink that holds a single connection synchronizes itself.
 */
public interface ExportSink extends AutoCloseable {

    /** Delivers the events, all or nothing, and says how it went. Never throws for a failed delivery. */
    SinkAnswer send(List<OutgoingEvent> events);

    @Override
    void close();
}
