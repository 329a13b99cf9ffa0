package org.ciampack.themes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keycloak finds a theme in a JAR only through META-INF/keycloak-themes.json and resolves its stylesheets and
 * images lazily, so a missing file shows up as a broken page in production. These checks catch it at build time.
 */
class ThemePackagingTest {

    private static final Pattern CSS_URL = Pattern.compile("url\\(['\"]?([^'\")]+)['\"]?\\)");

    @Test
    void declaresTheCiamLoginTheme() throws IOException {
        JsonNode themes = new ObjectMapper().readTree(resource("META-INF/keycloak-themes.json")).get("themes");
        assertThat(themes).hasSize(1);
        assertThat(themes.get(0).get("name").asText()).isEqualTo("ciam");
        assertThat(themes.get(0).get("types").toString()).contains("login").contains("account").contains("email");
    }

    @Test
    void loginThemeExtendsKeycloakV2() {
        Properties login = themeProperties("login");
        assertThat(login.getProperty("parent")).isEqualTo("keycloak.v2");
        assertThat(login.getProperty("styles")).startsWith("css/styles.css").contains("css/ciam.css");
    }

    @Test
    void everyStylesheetAndImageOfOursIsPackaged() {
        String base = "theme/ciam/login/resources/";
        List<String> ours = new ArrayList<>();
        for (String style : themeProperties("login").getProperty("styles").split("\\s+")) {
            if (exists(base + style)) {
                ours.add(style);
            } else {
                assertThat(style).as("only keycloak.v2's own stylesheet may come from the parent").isEqualTo("css/styles.css");
            }
        }
        assertThat(ours).containsExactly("css/ciam.css");

        Matcher urls = CSS_URL.matcher(text(base + "css/ciam.css"));
        int images = 0;
        while (urls.find()) {
            String target = base + "css/" + urls.group(1);
            assertThat(exists(normalize(target))).as("ciam.css refers to " + urls.group(1)).isTrue();
            images++;
        }
        assertThat(images).as("the logo is set in ciam.css").isPositive();
    }

    @Test
    void emailThemeExtendsKeycloaksAndLeavesThePacksEmailsToTheirModules() {
        assertThat(themeProperties("email").getProperty("parent")).isEqualTo("keycloak");
        assertThat(exists("theme/ciam/email/html/ciam-email-otp.ftl"))
                .as("the sign-in code's e-mail ships with its step (risk), for any e-mail theme").isFalse();
    }

    @Test
    void headerShowsTheLogoWithTheRealmNameAsText() throws IOException {
        Properties messages = new Properties();
        try (InputStream in = resource("theme/ciam/login/messages/messages_en.properties")) {
            messages.load(in);
        }
        assertThat(messages.getProperty("loginTitleHtml")).contains("kc-logo-text").contains("{0}");
    }

    @Test
    void accountThemeAddsTheKnownDevicesAndConsentPagesWithTheirModulesAndTexts() throws IOException {
        assertThat(themeProperties("account").getProperty("parent")).isEqualTo("keycloak.v3");
        String base = "theme/ciam/account/resources";
        JsonNode security = null;
        JsonNode content = new ObjectMapper().readTree(resource(base + "/content.json"));
        for (JsonNode entry : content) {
            if ("accountSecurity".equals(entry.path("label").asText())) {
                security = entry.get("children");
            }
        }
        assertThat(security).as("the console's Account security group is kept").isNotNull();
        JsonNode page = null;
        for (JsonNode entry : security) {
            if (entry.has("modulePath")) {
                page = entry;
            }
        }
        assertThat(page).as("a module page under Account security").isNotNull();
        assertThat(page.get("path").asText()).as("26.7 loads modules only on the :componentId route")
                .isEqualTo("content/:componentId");
        assertThat(exists(base + page.get("modulePath").asText())).isTrue();

        Properties messages = new Properties();
        try (InputStream in = resource("theme/ciam/account/messages/messages_en.properties")) {
            messages.load(in);
        }
        assertThat(messages).containsKey(page.get("label").asText());
        // The module shows each page from a module of its own, imported relatively: all must exist and find their texts.
        String module = base + page.get("modulePath").asText();
        Matcher imports = Pattern.compile("from \"\\./([\\w-]+\\.js)\"").matcher(text(module));
        List<String> pages = new ArrayList<>();
        while (imports.find()) {
            String imported = module.substring(0, module.lastIndexOf('/') + 1) + imports.group(1);
            assertThat(exists(imported)).as(imported).isTrue();
            pages.add(imported);
        }
        assertThat(pages).as("Known devices and Privacy and consents").hasSize(2);
        for (String pageModule : pages) {
            Matcher shared = Pattern.compile("from \"\\./([\\w-]+\\.js)\"").matcher(text(pageModule));
            while (shared.find()) {
                String imported = module.substring(0, module.lastIndexOf('/') + 1) + shared.group(1);
                assertThat(exists(imported)).as(pageModule + " imports " + imported).isTrue();
            }
            Matcher keys = Pattern.compile("\\b(ciam[A-Z]\\w+)\\b").matcher(text(pageModule));
            int used = 0;
            while (keys.find()) {
                assertThat(messages).as("message used by " + pageModule).containsKey(keys.group(1));
                used++;
            }
            assertThat(used).isPositive();
        }
        JsonNode consents = null;
        for (JsonNode entry : content) {
            if ("ciamConsents".equals(entry.path("label").asText())) {
                consents = entry;
            }
        }
        assertThat(consents).as("the Privacy and consents entry").isNotNull();
        assertThat(consents.get("id").asText()).as("routed to the module loader").isEqualTo("content/:componentId");
        assertThat(consents.get("path").asText()).endsWith("/:componentId");
    }

    private static Properties themeProperties(String type) {
        Properties properties = new Properties();
        try (InputStream in = resource("theme/ciam/" + type + "/theme.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static String normalize(String path) {
        return java.nio.file.Path.of(path).normalize().toString();
    }

    private static boolean exists(String path) {
        return ThemePackagingTest.class.getClassLoader().getResource(path) != null;
    }

    private static String text(String path) {
        try (InputStream in = resource(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = ThemePackagingTest.class.getClassLoader().getResourceAsStream(path);
        assertThat(in).as(path + " is packaged").isNotNull();
        return in;
    }
}
