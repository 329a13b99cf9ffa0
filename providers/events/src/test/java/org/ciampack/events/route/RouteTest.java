package org.ciampack.events.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ciampack.events.outbox.OutboxRecord;
import org.junit.jupiter.api.Test;

class RouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Route parse(String name, String json, List<String> problems) throws Exception {
        return Route.parse(name, JSON.readTree(json), problems);
    }

    private static OutboxRecord user(String type, String client) {
        return new OutboxRecord("id", "realm", OutboxRecord.USER, type, client, "u", 0, "{}");
    }

    private static OutboxRecord admin(String type) {
        return new OutboxRecord("id", "realm", OutboxRecord.ADMIN, type, null, "u", 0, "{}");
    }

    @Test
    void aMinimalRouteTakesEverythingAsEnvelopesOnePerRequest() throws Exception {
        List<String> problems = new ArrayList<>();
        Route route = parse("siem", "{\"sink\": \"webhook\", \"settings\": {\"url\": \"https://x\"}}", problems);
        assertThat(problems).isEmpty();
        assertThat(route.format()).isEqualTo("envelope");
        assertThat(route.batchSize()).isEqualTo(1);
        assertThat(route.enabled()).isTrue();
        assertThat(route.events().accepts(user("LOGIN_ERROR", "any"))).isTrue();
        assertThat(route.events().accepts(admin("CLIENT.DELETE"))).isTrue();
    }

    @Test
    void aCrmRouteTakesProfileEventsNotLogins() throws Exception {
        Route route = parse("crm", "{\"sink\": \"crm\"}", new ArrayList<>());
        assertThat(route.format()).isEqualTo("crm-contact");
        assertThat(route.events().accepts(user("UPDATE_PROFILE", "acme-web"))).isTrue();
        assertThat(route.events().accepts(user("LOGIN", "acme-web"))).isFalse();
        assertThat(route.events().accepts(admin("USER.DELETE"))).isTrue();
        assertThat(route.events().accepts(admin("CLIENT.UPDATE"))).isFalse();
    }

    @Test
    void eventFiltersMatchTypesAdminPatternsAndClients() {
        EventFilter filter = new EventFilter(Set.of("LOGIN"), Set.of("USER.*", "*.DELETE"), Set.of("acme-web"));
        assertThat(filter.accepts(user("LOGIN", "acme-web"))).isTrue();
        assertThat(filter.accepts(user("LOGIN", "other-app"))).isFalse();
        assertThat(filter.accepts(user("LOGOUT", "acme-web"))).isFalse();
        assertThat(filter.accepts(admin("USER.CREATE"))).isTrue();
        assertThat(filter.accepts(admin("CLIENT.DELETE"))).isTrue();
        assertThat(filter.accepts(admin("CLIENT.UPDATE"))).isFalse();
        assertThat(filter.accepts(admin("REALM_ROLE_MAPPING.CREATE"))).isFalse();
    }

    @Test
    void everyProblemIsReportedAsASentence() throws Exception {
        List<String> problems = new ArrayList<>();
        Route route = parse("Bad Name", """
                {"events": {"user": ["login!"], "admin": ["USER"]}, "batchSize": 0, "concurrency": 99,
                 "pii": {"email": "hash"}, "retry": {"initialDelaySeconds": 60, "maxDelaySeconds": 5}}
                """, problems);
        assertThat(route).isNull();
        assertThat(problems).containsExactly(
                "a route name is 1-40 lower-case letters, digits and '-', starting with a letter or digit",
                "sink is missing (webhook, crm, splunk-hec, syslog, or an operator's own)",
                "events.user: 'login!' is not an event type (e.g. LOGIN, LOGIN_ERROR, or *)",
                "events.admin: 'USER' is not RESOURCE.OPERATION (e.g. USER.UPDATE, USER.*, *)",
                "pii.hashKey is needed to hash personal data, e.g. \"${vault.export-hash-key}\"",
                "retry.maxDelaySeconds must not be below retry.initialDelaySeconds",
                "batchSize must be a whole number from 1 to 500",
                "concurrency must be a whole number from 1 to 32");
    }

    @Test
    void onlyMasterRoutesNamingARealmTakeItsEvents() throws Exception {
        Route all = parse("all", "{\"sink\": \"webhook\", \"realms\": [\"*\"]}", new ArrayList<>());
        Route acme = parse("acme", "{\"sink\": \"webhook\", \"realms\": [\"acme\"]}", new ArrayList<>());
        assertThat(all.coversRealm(true, "master-id", "acme-id", "acme")).isTrue();
        assertThat(acme.coversRealm(true, "master-id", "other-id", "other")).isFalse();
        assertThat(acme.coversRealm(false, "x-id", "acme-id", "acme")).isFalse();
        assertThat(acme.coversRealm(false, "x-id", "x-id", "x")).isTrue();
    }
}
