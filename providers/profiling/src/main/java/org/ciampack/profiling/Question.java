package org.ciampack.profiling;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A question due at this login: the attribute, how many more times the user may skip it (0: required now), and
 * whether the login's client or scope needs it.
 */
public record Question(String attribute, int skipsLeft, boolean neededNow) {

    public boolean skippable() {
        return skipsLeft > 0;
    }

    /** Kept in the authentication session between the page and its answer: "phone:2:0". */
    String note() {
        return attribute + ":" + skipsLeft + ":" + (neededNow ? 1 : 0);
    }

    static Question fromNote(String note) {
        String[] parts = note.split(":");
        return new Question(parts[0], Integer.parseInt(parts[1]), "1".equals(parts[2]));
    }

    static String listToNote(List<Question> questions) {
        return questions.stream().map(Question::note).collect(Collectors.joining(","));
    }

    static List<Question> listFromNote(String note) {
        if (note == null || note.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(note.split(",")).map(Question::fromNote).toList();
    }
}
