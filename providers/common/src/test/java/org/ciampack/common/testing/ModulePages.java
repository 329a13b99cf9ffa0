package org.ciampack.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A module's login pages and e-mails ship in its JAR under {@code theme-resources}, so that any login or e-mail
 * theme renders them. For the unit tests of each module (run in the module's folder, after its resources are
 * copied): what is wrong with them, or nothing. Every page the module's code names must be there; every text a page
 * or the code names must be in the module's own messages; and a page may import only what every theme has
 * (Keycloak's base theme) or what the pack ships itself: keycloak.v2's {@code buttons.ftl} or {@code field.ftl}, say,
 * would break the page on the older {@code keycloak} theme.
 */
public final class ModulePages {

    private static final String TEMPLATES = "theme-resources/templates/";
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path PAGES = Path.of("target/classes").resolve(TEMPLATES);
    /** A message key of the pack: "ciam" and a capital, in double quotes. */
    private static final Pattern TEXT = Pattern.compile("\"(ciam[A-Z]\\w*)\"");
    /** The same in Java, except where the name is a page attribute rather than a text. */
    private static final Pattern CODE_TEXT = Pattern.compile("(?<!setAttribute\\()\"(ciam[A-Z]\\w*)\"");
    /** A page the code renders or mails: a login page, or an e-mail in its html/ and text/ forms. */
    private static final Pattern PAGE = Pattern.compile("\"([\\w-]+\\.ftl)\"");
    private static final Pattern IMPORT = Pattern.compile("<#import\\s+\"([^\"]+)\"");
    /** What Keycloak's base login and e-mail themes have, so every theme has it. */
    private static final Set<String> EVERY_THEME = Set.of("template.ftl", "user-profile-commons.ftl");

    private ModulePages() {
    }

    /** The problems of the module's pages and of the texts and pages its code names. */
    public static List<String> problems() {
        Properties messages = messages();
        List<String> problems = new ArrayList<>();
        int texts = 0;
        for (Path file : files(PAGES, ".ftl")) {
            String page = PAGES.relativize(file).toString();
            String template = text(file);
            texts += missing(TEXT.matcher(template), messages, page, problems);
            Matcher imports = IMPORT.matcher(template);
            while (imports.find()) {
                String imported = imports.group(1);
                if (!EVERY_THEME.contains(imported) && read(TEMPLATES + imported) == null) {
                    problems.add(page + " imports " + imported + ", which only some themes have");
                }
            }
        }
        for (Path source : files(SOURCES, ".java")) {
            String code = text(source);
            texts += missing(CODE_TEXT.matcher(code), messages, source.getFileName().toString(), problems);
            Matcher pages = PAGE.matcher(code);
            while (pages.find()) {
                String page = pages.group(1);
                boolean shipped = Files.exists(PAGES.resolve(page))
                        || Files.exists(PAGES.resolve("html").resolve(page)) && Files.exists(PAGES.resolve("text").resolve(page));
                if (!shipped) {
                    problems.add(source.getFileName() + " renders " + page + ", which the module does not ship");
                }
            }
        }
        if (texts == 0) {
            problems.add("no text found in the pages or the code: the patterns no longer match");
        }
        return problems;
    }

    private static int missing(Matcher texts, Properties messages, String where, List<String> problems) {
        int found = 0;
        while (texts.find()) {
            found++;
            if (!messages.containsKey(texts.group(1))) {
                problems.add(where + " uses " + texts.group(1) + ", which the module's messages lack");
            }
        }
        return found;
    }

    private static Properties messages() {
        Properties messages = new Properties();
        String text = read("theme-resources/messages/messages_en.properties");
        if (text != null) {
            try {
                messages.load(new StringReader(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return messages;
    }

    /** A resource of the module or of a JAR it depends on (the common JAR's shared form parts), or null. */
    private static String read(String name) {
        try (InputStream in = ModulePages.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> files(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(file -> file.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
