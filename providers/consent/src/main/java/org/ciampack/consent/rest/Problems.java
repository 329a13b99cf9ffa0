package org.ciampack.consent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Clear 4xx answers, and request bodies read with a size limit. */
final class Problems {

    /** Far above any purpose or decision; a bigger body is refused before it is parsed. */
    static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    static Response status(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }

    static Response badRequest(List<String> problems) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", String.join(" ", problems.stream().map(Problems::sentence).toList()),
                        "problems", problems)).build();
    }

    /** The body as JSON; a problem answer when it is too big or not JSON. */
    static JsonNode json(String body, List<String> problems) {
        if (body == null || body.isBlank()) {
            problems.add("send a JSON body");
            return null;
        }
        if (body.length() > MAX_BODY) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            problems.add("the body is not valid JSON");
            return null;
        }
    }

    static boolean tooLarge(String body) {
        return body != null && body.length() > MAX_BODY;
    }

    static Response tooLarge() {
        return status(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the body is larger than " + MAX_BODY / 1024 + " KB");
    }

    private static String sentence(String problem) {
        String text = Character.toUpperCase(problem.charAt(0)) + problem.substring(1);
        return text.endsWith(".") ? text : text + ".";
    }
}
