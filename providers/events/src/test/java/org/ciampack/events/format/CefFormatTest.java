package org.ciampack.events.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.ciampack.events.EventEnvelope;
import org.junit.jupiter.api.Test;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;

class CefFormatTest {

    private static final Instant TIME = Instant.parse("2026-11-23T09:33:20.123Z");
    private final CefFormat cef = new CefFormat("26.7.3");

    @Test
    void aRiskyFailedLoginIsAHighSeverityLineWithItsFacts() {
        Event event = event(EventType.LOGIN_ERROR, "invalid_user_credentials",
                Map.of("username", "jane@acme.test", "risk_level", "high", "risk_score", "100", "risk_reasons", "ip_denied"));

        String line = cef.format(EventEnvelope.of(event));

        assertThat(line).startsWith("CEF:0|CIAM pack|Keycloak|26.7.3|LOGIN_ERROR|User login error|8|")
                .contains("rt=" + TIME.toEpochMilli())
                .contains("externalId=evt-1")
                .contains("outcome=failure")
                .contains("reason=invalid_user_credentials")
                .contains("suser=jane@acme.test")
                .contains("src=192.0.2.66")
                .contains("cs1Label=realm cs1=acme")
                .contains("cs2Label=riskLevel cs2=high")
                .contains("cn1Label=riskScore cn1=100");
    }

    @Test
    void nothingAUserTypedCanForgeAFieldOrALine() {
        Event event = event(EventType.LOGIN, null, Map.of("username", "x outcome=success\nCEF:0|forged|\\"));

        String line = cef.format(EventEnvelope.of(event));

        assertThat(line).doesNotContain("\n").contains("suser=x outcome\\=success\\nCEF:0|forged|\\\\");
        // A CEF reader takes the first seven unescaped pipes as the header (pipes in the extension need no escape).
        String[] parts = line.split("(?<!\\\\)\\|", 8);
        assertThat(parts[4]).isEqualTo("LOGIN");
        assertThat(parts[7]).startsWith("rt=");
    }

    @Test
    void headerFieldsEscapeTheirSeparator() {
        assertThat(CefFormat.header("a|b\\c\nd")).isEqualTo("a\\|b\\\\c d");
        assertThat(CefFormat.value("a=b\\c\r\n")).isEqualTo("a\\=b\\\\c\\r\\n");
    }

    @Test
    void severityFollowsOutcomeAndRisk() {
        assertThat(CefFormat.severity(false, "LOGIN", false, "")).isEqualTo(3);
        assertThat(CefFormat.severity(false, "LOGIN", false, "medium")).isEqualTo(5);
        assertThat(CefFormat.severity(false, "LOGIN_ERROR", true, "")).isEqualTo(5);
        assertThat(CefFormat.severity(true, "USER.UPDATE", false, "")).isEqualTo(4);
        assertThat(CefFormat.severity(false, "LOGIN_ERROR", true, "high")).isEqualTo(8);
    }

    private static Event event(EventType type, String error, Map<String, String> details) {
        Event event = new Event();
        event.setId("evt-1");
        event.setTime(TIME.toEpochMilli());
        event.setType(type);
        event.setRealmName("acme");
        event.setUserId("user-1");
        event.setClientId("acme-web");
        event.setIpAddress("192.0.2.66");
        event.setError(error);
        event.setDetails(details);
        return event;
    }
}
