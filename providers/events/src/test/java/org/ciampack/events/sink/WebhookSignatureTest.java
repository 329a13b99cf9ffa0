package org.ciampack.events.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void signsAsTheStandardWebhooksReferenceDoes() {
        // The expected value was computed with the reference implementation (npm standardwebhooks 1.1.1,
        // new Webhook(secret).sign(id, date, payload)), not with this class.
        Map<String, String> headers = WebhookSignature.of(List.of(SECRET))
                .headers("msg_p5jXN8AQM9LWM0D4loKWxJek", Instant.ofEpochSecond(1614265330), "{\"test\": 2432232314}");

        assertThat(headers).containsEntry("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
                .containsEntry("webhook-timestamp", "1614265330")
                .containsEntry("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void duringARotationBothSecretsSign() {
        String next = WebhookSignature.newSecret();
        String both = WebhookSignature.of(List.of(SECRET, next)).signature("msg_1", 1614265330, "{}");
        String old = WebhookSignature.of(List.of(SECRET)).signature("msg_1", 1614265330, "{}");
        String fresh = WebhookSignature.of(List.of(next)).signature("msg_1", 1614265330, "{}");

        assertThat(both).isEqualTo(old + " " + fresh);
    }

    @Test
    void anythingChangedChangesTheSignature() {
        WebhookSignature signer = WebhookSignature.of(List.of(SECRET));
        String original = signer.signature("msg_1", 1614265330, "{\"a\":1}");

        assertThat(signer.signature("msg_2", 1614265330, "{\"a\":1}")).isNotEqualTo(original);
        assertThat(signer.signature("msg_1", 1614265331, "{\"a\":1}")).isNotEqualTo(original);
        assertThat(signer.signature("msg_1", 1614265330, "{\"a\":2}")).isNotEqualTo(original);
    }

    @Test
    void unusableSecretsAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> WebhookSignature.of(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> WebhookSignature.of(List.of(SECRET, "whsec_not base64!")))
                .hasMessage("signing secret 2 is not whsec_ followed by base64");
        assertThatThrownBy(() -> WebhookSignature.of(List.of("whsec_c2hvcnQ=")))
                .hasMessage("signing secret 1 is shorter than 16 bytes");
        assertThat(WebhookSignature.newSecret()).startsWith("whsec_").hasSize(6 + 44);
    }

    @Test
    void messageIdsWithTheSeparatorAreRefused() {
        assertThatThrownBy(() -> WebhookSignature.of(List.of(SECRET)).signature("a.b", 1, "{}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
