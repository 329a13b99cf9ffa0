package org.ciampack.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one error body of the pack's REST APIs, {@code {"error": "...", "problems": ["...", ...]}}, and request bodies
 * read with a size limit. Messages say what to send instead; they never carry a stack trace or another party's answer.
 */
public final class Problems {

    /** Far above any purpose, decision, route or setting; a bigger body is refused before it is parsed. */
    public static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    /** An answer with one message. */
    public static Response status(Response.Status status, String message) {
        return status(status.getStatusCode(), message, List.of());
    }

    /** A 429 with one message and when to try again (Retry-After, whole seconds). */
    public static Response tooManyRequests(String message, long retryAfterSeconds) {
        return Response.fromResponse(status(Response.Status.TOO_MANY_REQUESTS, message))
                .header("Retry-After", String.valueOf(Math.max(1, retryAfterSeconds))).build();
    }

    /** A 400 listing every problem found, with their sentences joined as the message. */
    public static Response badRequest(List<String> problems) {
        return status(Response.Status.BAD_REQUEST.getStatusCode(),
                String.join(" ", problems.stream().map(Problems::sentence).toList()), problems);
    }

    public static Response status(int status, String message, List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (!problems.isEmpty()) {
            body.put("problems", problems);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    /** For a check deep in a call: the JAX-RS layer answers with the body as it is. */
    public static WebApplicationException failure(Response.Status status, String message) {
        return new WebApplicationException(status(status, message));
    }

    /** The body as JSON; null with a problem added when it is missing or not JSON (check {@link #tooLarge} first). */
    public static JsonNode json(String body, List<String> problems) {
        if (body == null || body.isBlank()) {
            problems.add("send a JSON body");
            return null;
        }
        if (tooLarge(body)) {
            problems.add("the body is larger than " + MAX_BODY / 1024 + " KB");
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            problems.add("the body is not valid JSON");
            return null;
        }
    }

    /** The body as a JSON object, or a failure: 413 past {@link #MAX_BODY}, 400 with the hint when it is no object. */
    public static ObjectNode object(String body, String hint) {
        if (tooLarge(body)) {
            throw new WebApplicationException(tooLarge());
        }
        List<String> problems = new ArrayList<>();
        JsonNode json = json(body, problems);
        if (json == null || !json.isObject()) {
            problems.add(hint);
            throw new WebApplicationException(badRequest(problems));
        }
        return (ObjectNode) json;
    }

    public static boolean tooLarge(String body) {
        return body != null && body.length() > MAX_BODY;
    }

    public static Response tooLarge() {
        return status(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the body is larger than " + MAX_BODY / 1024 + " KB");
    }

    private static String sentence(String problem) {
        String text = Character.toUpperCase(problem.charAt(0)) + problem.substring(1);
        return text.endsWith(".") ? text : text + ".";
    }
}
