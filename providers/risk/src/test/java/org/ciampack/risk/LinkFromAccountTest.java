package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LinkFromAccountTest {

    @Test
    void passesOnlyWhereKeycloakMailsTheLink() {
        assertThat(LinkFromAccount.noLinkMailed(false, false, false)).isNull();
        assertThat(LinkFromAccount.noLinkMailed(true, false, false)).isEqualTo("no_mail_server");
        assertThat(LinkFromAccount.noLinkMailed(true, true, false)).isEqualTo("no_mail_server");
        assertThat(LinkFromAccount.noLinkMailed(false, true, false)).isEqualTo("changed_on_review");
        assertThat(LinkFromAccount.noLinkMailed(false, false, true)).isEqualTo("changed_on_review");
    }

    /** The page and its texts ship in this module's JAR (theme-resources), so any login theme renders them. */
    @Test
    void everyTextOfItsPageShipsWithIt() throws IOException {
        Properties messages = new Properties();
        try (InputStream in = resource("theme-resources/messages/messages_en.properties")) {
            messages.load(in);
        }
        String page;
        try (InputStream in = resource("theme-resources/templates/" + LinkFromAccount.TEMPLATE)) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher keys = Pattern.compile("\"(ciam[A-Z]\\w+)\"").matcher(page);
        int found = 0;
        while (keys.find()) {
            assertThat(messages).as("text of " + LinkFromAccount.TEMPLATE).containsKey(keys.group(1));
            found++;
        }
        assertThat(found).isEqualTo(3);
    }

    private static InputStream resource(String name) {
        InputStream in = LinkFromAccountTest.class.getClassLoader().getResourceAsStream(name);
        assertThat(in).as(name).isNotNull();
        return in;
    }
}
