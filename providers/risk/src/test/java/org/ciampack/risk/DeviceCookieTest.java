package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class DeviceCookieTest {

    private static final SecretKey KEY = new SecretKeySpec("a realm secret of enough length!".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    private static final SecretKey OTHER_KEY = new SecretKeySpec("another realm secret, also long!".getBytes(StandardCharsets.UTF_8), "HmacSHA256");

    @Test
    void anIssuedCookieReadsBackAsItsDevice() {
        String device = DeviceCookie.newDeviceId();
        assertThat(DeviceCookie.deviceId(DeviceCookie.value(device, "realm-a", KEY), "realm-a", KEY)).isEqualTo(device);
    }

    @Test
    void tamperedForeignOrHugeCookiesAreUnknownDevices() {
        String cookie = DeviceCookie.value("device-1", "realm-a", KEY);

        assertThat(DeviceCookie.deviceId("device-2" + cookie.substring(cookie.indexOf('.')), "realm-a", KEY)).isNull();
        assertThat(DeviceCookie.deviceId(cookie, "realm-b", KEY)).as("issued in another realm").isNull();
        assertThat(DeviceCookie.deviceId(cookie, "realm-a", OTHER_KEY)).as("key rotated").isNull();
        assertThat(DeviceCookie.deviceId("x".repeat(100_000), "realm-a", KEY)).isNull();
        assertThat(DeviceCookie.deviceId("no-signature", "realm-a", KEY)).isNull();
        assertThat(DeviceCookie.deviceId(".sig", "realm-a", KEY)).isNull();
        assertThat(DeviceCookie.deviceId(null, "realm-a", KEY)).isNull();
    }
}
