package org.ciampack.profiling;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One line of the plan: which user-profile attributes to ask, when, and how often the user may answer "not now"
 * before they are required. Written {@code phone, birthdate | login 2 | skippable 2}.
 */
public record Stage(List<String> attributes, Trigger trigger, int skippable) {

    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
    /** Changed through their own flows (update e-mail, e-mail verification), never through a profile question. */
    private static final List<String> NOT_ASKABLE = List.of("username", "email");

    public static Stage parse(String line) {
        String[] parts = line.split("\\|");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("expected 'attributes | trigger [| skippable N]', got '" + line.trim()
                    + "'");
        }
        List<String> attributes = Arrays.stream(parts[0].split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("no attribute named in '" + line.trim() + "'");
        }
        for (String attribute : attributes) {
            if (!ATTRIBUTE.matcher(attribute).matches()) {
                throw new IllegalArgumentException("'" + attribute + "' is not a user-profile attribute name");
            }
            if (NOT_ASKABLE.contains(attribute)) {
                throw new IllegalArgumentException("'" + attribute + "' has its own flow and cannot be asked here");
            }
        }
        return new Stage(attributes, Trigger.parse(parts[1]), parts.length == 3 ? skippable(parts[2]) : 0);
    }

    private static int skippable(String text) {
        String[] words = text.trim().split("\\s+");
        if (words.length != 2 || !words[0].toLowerCase(Locale.ROOT).equals("skippable")) {
            throw new IllegalArgumentException("expected 'skippable N', got '" + text.trim() + "'");
        }
        return Trigger.positive(words[1], 0);
    }
}
