package org.ciampack.events.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An exported event as one ArcSight Common Event Format line, the body SIEMs (ArcSight, QRadar, Sentinel, Splunk)
 * parse from syslog: {@code CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|key=value ...}. Header fields
 * escape {@code \} and {@code |}; extension values escape {@code \}, {@code =} and line breaks, so nothing a user
 * typed (a username, a detail) can forge another field or another line.
 */
public final class CefFormat {

    static final String VENDOR = "CIAM pack";
    static final String PRODUCT = "Keycloak";

    private final String productVersion;

    public CefFormat(String productVersion) {
        this.productVersion = productVersion;
    }

    /** The CEF line for an envelope made by {@code EventEnvelope}. */
    public String format(JsonNode envelope) {
        JsonNode data = envelope.path("data");
        boolean admin = "admin".equals(data.path("kind").asText());
        String type = data.path("type").asText("UNKNOWN");
        boolean failed = !data.path("error").isMissingNode() && !data.path("error").isNull();

        Map<String, String> extension = new LinkedHashMap<>();
        extension.put("rt", String.valueOf(Instant.parse(envelope.path("time").asText()).toEpochMilli()));
        extension.put("externalId", envelope.path("id").asText());
        extension.put("outcome", failed ? "failure" : "success");
        if (failed) {
            extension.put("reason", data.path("error").asText());
        }
        if (admin) {
            extension.put("suid", text(data.path("auth").path("userId")));
            extension.put("src", text(data.path("auth").path("ipAddress")));
            extension.put("act", data.path("operation").asText());
            extension.put("request", text(data.path("resourcePath")));
        } else {
            extension.put("suid", text(data.path("userId")));
            extension.put("suser", text(data.path("details").path("username")));
            extension.put("src", text(data.path("ipAddress")));
            extension.put("app", text(data.path("clientId")));
        }
        extension.put("cs1Label", "realm");
        extension.put("cs1", text(data.path("realmName")));
        JsonNode details = data.path("details");
        if (details.has("risk_level")) {
            extension.put("cs2Label", "riskLevel");
            extension.put("cs2", details.path("risk_level").asText());
            extension.put("cs3Label", "riskReasons");
            extension.put("cs3", details.path("risk_reasons").asText());
            extension.put("cn1Label", "riskScore");
            extension.put("cn1", details.path("risk_score").asText());
        }

        StringBuilder line = new StringBuilder("CEF:0|")
                .append(header(VENDOR)).append('|')
                .append(header(PRODUCT)).append('|')
                .append(header(productVersion)).append('|')
                .append(header(type)).append('|')
                .append(header(name(admin, type))).append('|')
                .append(severity(admin, type, failed, details.path("risk_level").asText())).append('|');
        String separator = "";
        for (Map.Entry<String, String> field : extension.entrySet()) {
            if (field.getValue() != null && !field.getValue().isEmpty()) {
                line.append(separator).append(field.getKey()).append('=').append(value(field.getValue()));
                separator = " ";
            }
        }
        return line.toString();
    }

    /** 0-10: failures and risky logins higher, so a SIEM's default views surface them. */
    static int severity(boolean admin, String type, boolean failed, String riskLevel) {
        if ("high".equals(riskLevel)) {
            return 8;
        }
        if (failed) {
            return admin ? 6 : 5;
        }
        if ("medium".equals(riskLevel)) {
            return 5;
        }
        return admin ? 4 : 3;
    }

    private static String name(boolean admin, String type) {
        return (admin ? "Admin " : "User ") + type.toLowerCase(Locale.ROOT).replace('_', ' ').replace('.', ' ');
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    static String header(String value) {
        return value.replace("\\", "\\\\").replace("|", "\\|").replace('\r', ' ').replace('\n', ' ');
    }

    static String value(String value) {
        return value.replace("\\", "\\\\").replace("=", "\\=").replace("\r", "\\r").replace("\n", "\\n");
    }
}
