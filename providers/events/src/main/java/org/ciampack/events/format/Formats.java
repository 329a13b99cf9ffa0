package org.ciampack.events.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** The formats every sink can use, by the name a route gives. */
public final class Formats {

    public static final List<String> NAMES = List.of("envelope", "ecs", "ocsf", "cef", "crm-contact");
    static final ObjectMapper JSON = new ObjectMapper();

    private Formats() {
    }

    /** The format {@code name}; CRM contacts are mapped with {@code crmMapping} (attribute path to field). */
    public static Optional<EventFormat> of(String name, String productVersion, JsonNode crmMapping) {
        return Optional.ofNullable(switch (name) {
            case "envelope" -> json(envelope -> envelope);
            case "ecs" -> json(EcsFormat::of);
            case "ocsf" -> json(OcsfFormat::of);
            case "crm-contact" -> json(new CrmContactFormat(crmMapping)::of);
            case "cef" -> new EventFormat() {
                private final CefFormat cef = new CefFormat(productVersion);

                @Override
                public String format(ObjectNode envelope) {
                    return cef.format(envelope);
                }

                @Override
                public boolean isJson() {
                    return false;
                }
            };
            default -> null;
        });
    }

    private static EventFormat json(java.util.function.Function<ObjectNode, JsonNode> shape) {
        return new EventFormat() {
            @Override
            public String format(ObjectNode envelope) {
                JsonNode shaped = shape.apply(envelope);
                if (shaped == null) {
                    return null;
                }
                try {
                    return JSON.writeValueAsString(shaped);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public boolean isJson() {
                return true;
            }
        };
    }
}
