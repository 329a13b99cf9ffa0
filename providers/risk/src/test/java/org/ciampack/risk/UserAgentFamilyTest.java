package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserAgentFamilyTest {

    @Test
    void namesTheBrowserFamilyOnly() {
        assertThat(UserAgentFamily.of("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36"))
                .isEqualTo("Chrome");
        assertThat(UserAgentFamily.of("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/150.0 Safari/537.36 Edg/150.0"))
                .isEqualTo("Edge");
        assertThat(UserAgentFamily.of("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0")).isEqualTo("Firefox");
        assertThat(UserAgentFamily.of("Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1"))
                .isEqualTo("Safari");
        assertThat(UserAgentFamily.of("curl/8.5.0")).isEqualTo("curl");
        assertThat(UserAgentFamily.of("")).isEqualTo("unknown");
        assertThat(UserAgentFamily.of("<script>")).isEqualTo("other");
    }
}
