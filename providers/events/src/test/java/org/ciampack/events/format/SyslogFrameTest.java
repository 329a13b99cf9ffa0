package org.ciampack.events.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyslogFrameTest {

    private static final Instant TIME = Instant.parse("2026-11-23T09:33:20.123456Z");

    @Test
    void anRfc5424MessageWithTheAuthprivFacility() {
        String message = SyslogFrame.message(SyslogFrame.FACILITY_AUTHPRIV, SyslogFrame.SEVERITY_INFO, TIME,
                "sso-1.acme.test", "keycloak", "LOGIN", "CEF:0|CIAM pack|Keycloak|26.7.3|LOGIN|User login|3|outcome=success");

        assertThat(message).isEqualTo("<86>1 2026-11-23T09:33:20.123Z sso-1.acme.test keycloak - LOGIN - "
                + "CEF:0|CIAM pack|Keycloak|26.7.3|LOGIN|User login|3|outcome=success");
    }

    @Test
    void framesCountOctetsNotCharacters() {
        String message = "<86>1 - - - - - Zoë";

        byte[] frame = SyslogFrame.frame(message);

        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("20 " + message);
        assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSize(20);
    }

    @Test
    void headerFieldsAreCutAndCleaned() {
        assertThat(SyslogFrame.field("", 48)).isEqualTo("-");
        assertThat(SyslogFrame.field(null, 48)).isEqualTo("-");
        assertThat(SyslogFrame.field("my host\n", 255)).isEqualTo("my_host_");
        assertThat(SyslogFrame.field("A".repeat(40), 32)).hasSize(32);
        assertThatThrownBy(() -> SyslogFrame.message(24, 6, TIME, "h", "a", "m", "b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
