package org.ciampack.events.format;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One RFC 5424 syslog message ({@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG}) framed for a TCP or
 * TLS stream by octet counting (RFC 6587, the framing RFC 5425 prescribes for TLS): {@code LENGTH SP MESSAGE}, so a
 * line break inside a message can never split or forge messages. Header fields are cut to their RFC lengths and
 * anything but printable ASCII becomes {@code _}; an empty field is {@code -}.
 */
public final class SyslogFrame {

    /** RFC 5424 facility 10, security/authorization messages (authpriv). */
    public static final int FACILITY_AUTHPRIV = 10;
    public static final int SEVERITY_WARNING = 4;
    public static final int SEVERITY_NOTICE = 5;
    public static final int SEVERITY_INFO = 6;

    private SyslogFrame() {
    }

    /** The message without framing (for tests and UDP-less debugging). */
    public static String message(int facility, int severity, Instant time, String hostname, String appName,
                                 String messageId, String body) {
        if (facility < 0 || facility > 23 || severity < 0 || severity > 7) {
            throw new IllegalArgumentException("facility 0-23 and severity 0-7");
        }
        return "<" + (facility * 8 + severity) + ">1 "
                + time.truncatedTo(ChronoUnit.MILLIS) + " "
                + field(hostname, 255) + " "
                + field(appName, 48) + " "
                + "- "                      // PROCID: none
                + field(messageId, 32) + " "
                + "- "                      // STRUCTURED-DATA: none, everything is in the body
                + body;
    }

    /** The octet-counted frame of a message, ready to write to the stream. */
    public static byte[] frame(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (bytes.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + bytes.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(bytes, 0, frame, prefix.length, bytes.length);
        return frame;
    }

    static String field(String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder clean = new StringBuilder(Math.min(value.length(), maxLength));
        for (int i = 0; i < value.length() && clean.length() < maxLength; i++) {
            char c = value.charAt(i);
            clean.append(c >= 33 && c <= 126 ? c : '_');
        }
        return clean.toString();
    }
}
