package org.ciampack.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.WebApplicationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class ProblemsTest {

    @Test
    void aBadRequestListsEveryProblemAndJoinsThemAsSentences() {
        var response = Problems.badRequest(List.of("send a name", "version must be a number"));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat((Map<String, Object>) response.getEntity()).containsEntry("error", "Send a name. Version must be a number.")
                .containsEntry("problems", List.of("send a name", "version must be a number"));
    }

    @Test
    void aSingleMessageHasNoProblemsList() {
        assertThat((Map<String, Object>) Problems.status(jakarta.ws.rs.core.Response.Status.NOT_FOUND, "no such user").getEntity())
                .containsOnlyKeys("error");
    }

    @Test
    void tooManyRequestsSaysWhenToTryAgainInWholeSecondsAtLeastOne() {
        var response = Problems.tooManyRequests("at most 2 at a time", 5);

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat((Map<String, Object>) response.getEntity()).containsEntry("error", "at most 2 at a time");
        assertThat(Problems.tooManyRequests("soon", 0).getHeaderString("Retry-After")).isEqualTo("1");
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsParsed() {
        String big = "{\"a\":\"" + "x".repeat(Problems.MAX_BODY) + "\"}";

        assertThatThrownBy(() -> Problems.object(big, "send an object"))
                .isInstanceOfSatisfying(WebApplicationException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(413));
        List<String> problems = new ArrayList<>();
        assertThat(Problems.json(big, problems)).isNull();
        assertThat(problems).containsExactly("the body is larger than 64 KB");
    }

    @Test
    void somethingOtherThanAnObjectGetsTheHint() {
        for (String body : new String[] {null, "", "[1]", "not json", "\"text\""}) {
            assertThatThrownBy(() -> Problems.object(body, "send {\"onError\": \"closed\"}"))
                    .isInstanceOfSatisfying(WebApplicationException.class, e -> {
                        assertThat(e.getResponse().getStatus()).isEqualTo(400);
                        assertThat(e.getResponse().getEntity().toString()).contains("send {\"onError\": \"closed\"}");
                    });
        }
        assertThat(Problems.object("{\"onError\":\"open\"}", "hint").get("onError").asText()).isEqualTo("open");
    }
}
