package org.ciampack.events.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * A route definition as sent to {@code PUT routes/{name}}: read with a size limit before it is parsed (far above
 * any real route, the same limit as the consent module's bodies), so a huge body never reaches the realm attribute.
 */
final class RouteDefinitionBody {

    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RouteDefinitionBody() {
    }

    /** The body as JSON; {@link TooLarge} above the limit, {@link IllegalArgumentException} when it is not JSON. */
    static JsonNode read(InputStream body) {
        if (body == null) {
            throw new IllegalArgumentException("send the route as a JSON body");
        }
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body could not be read");
        }
        if (bytes.length > MAX_BYTES) {
            throw new TooLarge();
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("send the route as a JSON body");
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not valid JSON");
        }
    }

    /** A body over the limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("a route definition is at most " + MAX_BYTES / 1024 + " KB; this one is larger");
        }
    }
}
