package org.ciampack.events.format;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How an event leaves: the text a sink sends for one (already filtered) envelope. */
public interface EventFormat {

    /** The text for one event; {@code null} when this format has nothing to say about it (it is then skipped). */
    String format(ObjectNode envelope);

    /** Whether the text is a JSON value (so HTTP sinks can put several into one JSON array). */
    boolean isJson();
}
