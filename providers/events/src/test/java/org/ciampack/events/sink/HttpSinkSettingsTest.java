package org.ciampack.events.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** What an HTTP route's url may say when it is written into the route, which every realm viewer sees. */
class HttpSinkSettingsTest {

    @Test
    void aWrittenUrlWithCredentialsIsRefusedAndOneFromTheVaultIsNotLookedInto() {
        assertThat(new WebhookSinkFactory().validate(webhook("https://crm:s3cret@hooks.example.com/in")))
                .anySatisfy(problem -> assertThat(problem).startsWith("settings.url carries credentials"));
        assertThat(new SplunkHecSinkFactory().validate(JsonNodeFactory.instance.objectNode()
                .put("url", "https://user@splunk.example.com:8088").put("token", "${vault.export-hec}")))
                .anySatisfy(problem -> assertThat(problem).startsWith("settings.url carries credentials"));
        assertThat(new WebhookSinkFactory().validate(webhook("https://hooks.example.com/in"))).isEmpty();
        assertThat(new WebhookSinkFactory().validate(webhook("${vault.export-crm-url}"))).isEmpty();
        assertThat(new WebhookSinkFactory().validate(webhook("ftp://hooks.example.com/in")))
                .containsExactly("settings.url: malformed url: it must start with https:// or http://");
    }

    @Test
    void aWrittenUrlWithASecretInItsQueryIsRefused() {
        for (String url : new String[] {"https://fn.azurewebsites.net/api/in?code=abc123",
                "https://hooks.example.com/in?source=kc&access_token=abc", "https://hooks.example.com/in?api_key=abc",
                "https://blob.example.net/in?sv=2022&sig=abc%3D", "https://hooks.example.com/in?X-Auth-Token=abc"}) {
            assertThat(new WebhookSinkFactory().validate(webhook(url))).as(url)
                    .anySatisfy(problem -> assertThat(problem).startsWith("settings.url carries a secret in its query"));
        }
        assertThat(new WebhookSinkFactory().validate(webhook("https://hooks.example.com/in?api%5Fkey=abc")))
                .anySatisfy(problem -> assertThat(problem).startsWith("settings.url carries a secret in its query"));
        assertThat(new WebhookSinkFactory().validate(webhook(
                "https://hooks.example.com/in?source=keycloak&v=2&author=kc&design=a&signal=b&assignee=c"))).isEmpty();
    }

    @Test
    void aWrittenUrlWithATokenInItsPathIsRefusedAndIdsAndNamesAreNot() {
        for (String url : new String[] {"https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXX1",
                "https://discord.com/api/webhooks/123456789012345678/Ab3dEfGhIjKlMnOpQrStUvWxYz_0123456789-abcdefgh",
                "https://hooks.example.com/in/9f8e7d6c5b4a39281706f5e4d3c2b1a0"}) {
            assertThat(new WebhookSinkFactory().validate(webhook(url))).as(url).anySatisfy(problem ->
                    assertThat(problem).startsWith("settings.url carries what looks like a token in its path")
                            .doesNotContain(url.substring(url.lastIndexOf('/') + 5)));
        }
        for (String url : new String[] {"https://crm.example.com/api/v2/keycloak-customer-events/ingest",
                "https://crm.example.com/in/keycloak-customer-events-v2", "https://crm.example.com/customers/507f1f77bcf86cd799439011",
                "https://siem.example.com/tenants/3fa85f64-5717-4562-b3fc-2c963f66afa6/events",
                "https://hooks.example.com/sources/123456789012345678901234567890", "https://crm.example.com/in"}) {
            assertThat(new WebhookSinkFactory().validate(webhook(url))).as(url).isEmpty();
        }
    }

    private static ObjectNode webhook(String url) {
        return JsonNodeFactory.instance.objectNode().put("url", url).put("secret", "${vault.export-hook}");
    }
}
