package org.ciampack.events.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * An event as an OCSF 1.1 record: logins and logouts as Authentication (class 3002), changes to an account as
 * Account Change (class 3001), other admin changes as API Activity (class 6003). {@code type_uid} is
 * {@code class_uid * 100 + activity_id}, as the schema defines; what OCSF has no field for goes to
 * {@code unmapped}.
 */
final class OcsfFormat {

    static final String OCSF_VERSION = "1.1.0";

    /** Account Change activities (OCSF 3001); credential events by their credential type, see below. */
    private static final Map<String, Integer> ACCOUNT_ACTIVITY = Map.ofEntries(Map.entry("REGISTER", 1),
            Map.entry("UPDATE_PASSWORD", 3), Map.entry("UPDATE_CREDENTIAL", 3), Map.entry("REMOVE_CREDENTIAL", 99),
            Map.entry("RESET_PASSWORD", 4), Map.entry("DELETE_ACCOUNT", 6), Map.entry("UPDATE_TOTP", 10),
            Map.entry("REMOVE_TOTP", 11), Map.entry("UPDATE_PROFILE", 99), Map.entry("UPDATE_EMAIL", 99),
            Map.entry("VERIFY_EMAIL", 99));

    private OcsfFormat() {
    }

    /**
     * Keycloak's UPDATE_CREDENTIAL and REMOVE_CREDENTIAL say what changed in {@code credential_type}: a password is a
     * Password Change (3), a second factor (OTP, passkey, recovery codes) an MFA Factor Enable (10) or Disable (11).
     */
    static int accountActivity(String type, String credentialType) {
        boolean credentialEvent = "UPDATE_CREDENTIAL".equals(type) || "REMOVE_CREDENTIAL".equals(type);
        if (!credentialEvent || credentialType.isEmpty() || "password".equals(credentialType)) {
            return ACCOUNT_ACTIVITY.get(type);
        }
        return "UPDATE_CREDENTIAL".equals(type) ? 10 : 11;
    }

    static JsonNode of(ObjectNode envelope) {
        JsonNode data = envelope.path("data");
        boolean admin = "admin".equals(data.path("kind").asText());
        String type = data.path("type").asText();
        String base = type.endsWith("_ERROR") ? type.substring(0, type.length() - "_ERROR".length()) : type;
        boolean failed = data.hasNonNull("error");

        int classUid;
        String className;
        int activity;
        String activityName;
        if (admin && "USER".equals(data.path("resourceType").asText())) {
            classUid = 3001;
            className = "Account Change";
            activity = switch (data.path("operation").asText()) {
                case "CREATE" -> 1;
                case "DELETE" -> 6;
                default -> 99;
            };
            activityName = activity == 1 ? "Create" : activity == 6 ? "Delete" : "Other";
        } else if (admin) {
            classUid = 6003;
            className = "API Activity";
            activity = switch (data.path("operation").asText()) {
                case "CREATE" -> 1;
                case "UPDATE" -> 3;
                case "DELETE" -> 4;
                default -> 99;
            };
            activityName = switch (activity) {
                case 1 -> "Create";
                case 3 -> "Update";
                case 4 -> "Delete";
                default -> "Other";
            };
        } else if (ACCOUNT_ACTIVITY.containsKey(base)) {
            classUid = 3001;
            className = "Account Change";
            activity = accountActivity(base, data.path("details").path("credential_type").asText());
            activityName = type;
        } else {
            classUid = 3002;
            className = "Authentication";
            activity = base.startsWith("LOGOUT") ? 2 : base.startsWith("LOGIN") ? 1 : 99;
            activityName = activity == 1 ? "Logon" : activity == 2 ? "Logoff" : type;
        }
        int category = classUid / 1000;

        ObjectNode ocsf = JsonNodeFactory.instance.objectNode();
        ocsf.put("class_uid", classUid);
        ocsf.put("class_name", className);
        ocsf.put("category_uid", category);
        ocsf.put("category_name", category == 3 ? "Identity & Access Management" : "Application Activity");
        ocsf.put("activity_id", activity);
        ocsf.put("activity_name", activityName);
        ocsf.put("type_uid", classUid * 100L + activity);
        ocsf.put("time", Instant.parse(envelope.path("time").asText()).toEpochMilli());
        ocsf.put("severity_id", failed ? 3 : 1);
        ocsf.put("severity", failed ? "Medium" : "Informational");
        ocsf.put("status_id", failed ? 2 : 1);
        ocsf.put("status", failed ? "Failure" : "Success");
        if (failed) {
            ocsf.put("status_detail", data.path("error").asText());
        }
        ObjectNode metadata = ocsf.putObject("metadata");
        metadata.put("version", OCSF_VERSION);
        metadata.put("uid", envelope.path("id").asText());
        ObjectNode product = metadata.putObject("product");
        product.put("name", "Keycloak");
        product.put("vendor_name", "Keycloak");
        product.putObject("feature").put("name", "CIAM pack event export");
        metadata.put("tenant_uid", data.path("realmName").asText());

        if (admin) {
            ObjectNode actor = ocsf.putObject("actor").putObject("user");
            EcsFormat.copy(data.path("auth"), "userId", actor, "uid");
            EcsFormat.child(data.path("auth"), "ipAddress", ocsf, "src_endpoint", "ip");
            ObjectNode user = ocsf.putObject("user");
            EcsFormat.copy(data.path("targetUser"), "id", user, "uid");
            EcsFormat.copy(data.path("targetUser"), "username", user, "name");
            EcsFormat.copy(data.path("targetUser"), "email", user, "email_addr");
            ObjectNode api = ocsf.putObject("api");
            api.put("operation", data.path("operation").asText());
            EcsFormat.copy(data, "resourcePath", api, "request_path");
        } else {
            ObjectNode user = ocsf.putObject("user");
            EcsFormat.copy(data, "userId", user, "uid");
            EcsFormat.copy(data.path("user"), "username", user, "name");
            if (!user.has("name")) {
                EcsFormat.copy(data.path("details"), "username", user, "name");
            }
            EcsFormat.copy(data.path("user"), "email", user, "email_addr");
            EcsFormat.child(data, "ipAddress", ocsf, "src_endpoint", "ip");
            EcsFormat.child(data, "clientId", ocsf, "service", "name");
            EcsFormat.child(data, "sessionId", ocsf, "session", "uid");
        }
        ObjectNode unmapped = ocsf.putObject("unmapped");
        unmapped.put("keycloak_event_type", type);
        if (data.has("details")) {
            unmapped.set("details", data.get("details"));
        }
        return ocsf;
    }
}
