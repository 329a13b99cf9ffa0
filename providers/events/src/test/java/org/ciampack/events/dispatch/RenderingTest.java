package org.ciampack.events.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.ciampack.events.format.Formats;
import org.ciampack.events.route.Route;
import org.ciampack.events.sink.OutgoingEvent;
import org.junit.jupiter.api.Test;

/** From a stored envelope to what a route sends, in each format. */
class RenderingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGIN_ERROR = """
            {"specversion": "1.0", "id": "e-1", "source": "/realms/acme", "type": "org.ciampack.keycloak.user.LOGIN_ERROR",
             "time": "2026-11-23T08:00:00Z", "data": {"kind": "user", "type": "LOGIN_ERROR", "realmName": "acme",
             "userId": "u-1", "clientId": "acme-web", "ipAddress": "198.51.100.7", "error": "invalid_user_credentials",
             "details": {"username": "ada@example.com"}, "user": {"id": "u-1", "username": "ada@example.com",
             "email": "ada@example.com"}, "updated_at": "2026-11-23T08:00:00Z"}}
            """;
    private static final String ADMIN_UPDATE = """
            {"specversion": "1.0", "id": "e-2", "source": "/realms/acme", "type": "org.ciampack.keycloak.admin.USER.UPDATE",
             "time": "2026-11-23T08:00:01Z", "data": {"kind": "admin", "type": "USER.UPDATE", "realmName": "acme",
             "operation": "UPDATE", "resourceType": "USER", "resourcePath": "users/u-1", "error": null,
             "auth": {"userId": "admin-1", "ipAddress": "203.0.113.5"}, "representation": {"firstName": "Ada"},
             "targetUser": {"id": "u-1", "username": "ada@example.com", "email": "ada@example.com", "firstName": "Ada",
             "attributes": {"phone": ["+49 30 1"]}, "roles": ["default-roles-acme"]}, "details": {},
             "updated_at": "2026-11-23T08:00:01Z"}}
            """;

    private static OutgoingEvent render(String routeJson, String payload) throws Exception {
        Route route = Route.parse("r", JSON.readTree(routeJson), new ArrayList<>());
        return new Rendering(route, Formats.of(route.format(), "test", route.settings().get("mapping")).orElseThrow(),
                "k".getBytes(StandardCharsets.UTF_8)).render(payload);
    }

    @Test
    void theEnvelopeLeavesWithoutTheAdminRepresentationUnlessTheRouteAsks() throws Exception {
        JsonNode plain = JSON.readTree(render("{\"sink\": \"webhook\"}", ADMIN_UPDATE).body());
        JsonNode full = JSON.readTree(render("{\"sink\": \"webhook\", \"representation\": true}", ADMIN_UPDATE).body());
        assertThat(plain.at("/data/representation").isMissingNode()).isTrue();
        assertThat(full.at("/data/representation/firstName").asText()).isEqualTo("Ada");
    }

    @Test
    void personalDataIsTreatedBeforeTheFormatSoNoFormatLeaksIt() throws Exception {
        String route = "{\"sink\": \"syslog\", \"format\": \"%s\", \"pii\": {\"email\": \"hash\", \"ipAddress\": \"drop\","
                + " \"hashKey\": \"k\"}}";
        for (String format : new String[] {"envelope", "ecs", "ocsf", "cef"}) {
            OutgoingEvent event = render(route.formatted(format), LOGIN_ERROR);
            assertThat(event.body()).as(format).doesNotContain("ada@example.com").doesNotContain("198.51.100.7");
        }
    }

    @Test
    void ecsAndOcsfDescribeAFailedLogin() throws Exception {
        JsonNode ecs = JSON.readTree(render("{\"sink\": \"webhook\", \"format\": \"ecs\"}", LOGIN_ERROR).body());
        assertThat(ecs.at("/event/action").asText()).isEqualTo("login-error");
        assertThat(ecs.at("/event/outcome").asText()).isEqualTo("failure");
        assertThat(ecs.at("/event/category").toString()).isEqualTo("[\"authentication\",\"session\"]");
        assertThat(ecs.at("/source/ip").asText()).isEqualTo("198.51.100.7");
        assertThat(ecs.at("/user/name").asText()).isEqualTo("ada@example.com");
        assertThat(ecs.has("session")).as("no session id, no empty object").isFalse();

        JsonNode ocsf = JSON.readTree(render("{\"sink\": \"webhook\", \"format\": \"ocsf\"}", LOGIN_ERROR).body());
        assertThat(ocsf.at("/class_uid").asInt()).isEqualTo(3002);
        assertThat(ocsf.at("/type_uid").asLong()).isEqualTo(300201);
        assertThat(ocsf.at("/status_id").asInt()).isEqualTo(2);
        assertThat(ocsf.at("/status_detail").asText()).isEqualTo("invalid_user_credentials");
        JsonNode change = JSON.readTree(render("{\"sink\": \"webhook\", \"format\": \"ocsf\"}", ADMIN_UPDATE).body());
        assertThat(change.at("/class_uid").asInt()).isEqualTo(3001);
        assertThat(change.at("/actor/user/uid").asText()).isEqualTo("admin-1");
        assertThat(change.at("/user/uid").asText()).isEqualTo("u-1");
    }

    @Test
    void aCrmContactIsMappedFromTheProfileAndEventsWithoutOneAreSkipped() throws Exception {
        String crm = "{\"sink\": \"crm\", \"settings\": {\"mapping\": {\"email\": \"Email\", \"attributes.phone\": \"Phone\","
                + " \"roles\": \"Roles\"}}}";
        JsonNode contact = JSON.readTree(render(crm, ADMIN_UPDATE).body());
        assertThat(contact.at("/operation").asText()).isEqualTo("upsert");
        assertThat(contact.at("/contact/external_id").asText()).isEqualTo("u-1");
        assertThat(contact.at("/contact/Email").asText()).isEqualTo("ada@example.com");
        assertThat(contact.at("/contact/Phone").asText()).isEqualTo("+49 30 1");
        assertThat(contact.at("/contact/Roles/0").asText()).isEqualTo("default-roles-acme");
        assertThat(render(crm, LOGIN_ERROR.replace("\"user\": {", "\"nouser\": {"))).isNull();
    }

    @Test
    void failuresGoToSyslogAsWarningsTheRestAsInformation() throws Exception {
        assertThat(render("{\"sink\": \"syslog\"}", LOGIN_ERROR).severity()).isEqualTo(4);
        assertThat(render("{\"sink\": \"syslog\"}", ADMIN_UPDATE).severity()).isEqualTo(5);
        assertThat(render("{\"sink\": \"syslog\"}", LOGIN_ERROR.replace("\"invalid_user_credentials\"", "null"))
                .severity()).isEqualTo(6);
    }
}
