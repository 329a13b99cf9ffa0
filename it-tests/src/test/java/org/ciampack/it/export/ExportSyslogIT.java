package org.ciampack.it.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real rsyslog receives the export over TCP and over TLS (its certificate issued by the test CA that Keycloak's
 * truststore holds) and parses each message as RFC 5424: facility authpriv, app-name keycloak, the event type as
 * MSGID, and a CEF line (or ECS JSON) as the message.
 */
@CiamIntegrationTest
@Tag("local-distribution")
class ExportSyslogIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    /** RFC 5424 PRI = facility * 8 + severity; authpriv is 10. */
    private static final int AUTHPRIV_INFO = 10 * 8 + 6;
    private static final int AUTHPRIV_WARNING = 10 * 8 + 4;

    private ServerUnderTest server;
    private AdminApi admin;
    private ExportRoutes routes;
    private RsyslogReceiver rsyslog;
    private String tcpRoute;
    private String tlsRoute;

    @BeforeEach
    void routesToRsyslog(ServerUnderTest server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        routes = new ExportRoutes(server, admin);
        rsyslog = RsyslogReceiver.start();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        tcpRoute = "it-syslog-tcp-" + suffix;
        tlsRoute = "it-syslog-tls-" + suffix;
        routes.create(tcpRoute, syslogRoute(rsyslog.tcpPort(), false, "cef"));
        routes.create(tlsRoute, syslogRoute(rsyslog.tlsPort(), true, "ecs"));
    }

    @AfterEach
    void stop() {
        routes.remove(tcpRoute);
        routes.remove(tlsRoute);
        rsyslog.close();
    }

    @Test
    void rsyslogParsesRfc5424MessagesWithCefOverTcpAndEcsOverTls() {
        String email = "syslog-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", "198.51.100.44")
                .signIn(Attempt.fresh(), email, PASSWORD);
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).submitLogin(Attempt.fresh(), email, "wrong-password");

        RsyslogReceiver.Line login = rsyslog.await(false, line -> line.msgId().equals("LOGIN")
                && line.msg().contains("suid=" + userId), ARRIVAL, "LOGIN of the customer");
        assertThat(login.pri()).isEqualTo(AUTHPRIV_INFO);
        assertThat(login.appName()).isEqualTo("keycloak");
        assertThat(login.timestamp()).matches("\\d{4}-\\d{2}-\\d{2}T.*");
        assertThat(login.msg()).startsWith("CEF:0|CIAM pack|Keycloak|").contains("|LOGIN|User login|")
                .contains("src=198.51.100.44").contains("outcome=success").contains("cs1=acme");

        RsyslogReceiver.Line failed = rsyslog.await(false, line -> line.msgId().equals("LOGIN_ERROR")
                && line.msg().contains("suid=" + userId), ARRIVAL, "LOGIN_ERROR of the customer");
        assertThat(failed.pri()).isEqualTo(AUTHPRIV_WARNING);
        assertThat(failed.msg()).contains("outcome=failure").contains("reason=invalid_user_credentials");

        RsyslogReceiver.Line overTls = rsyslog.await(true, line -> line.msgId().equals("LOGIN")
                && line.msg().contains(userId), ARRIVAL, "LOGIN over TLS");
        assertThat(overTls.appName()).isEqualTo("keycloak");
        JsonNode ecs = Http.json(overTls.msg().strip());
        assertThat(ecs.path("event").path("action").asText()).isEqualTo("login");
        assertThat(ecs.path("event").path("outcome").asText()).isEqualTo("success");
        assertThat(ecs.path("event").path("category").toString()).contains("authentication");
        assertThat(ecs.path("user").path("id").asText()).isEqualTo(userId);
        assertThat(ecs.path("source").path("ip").asText()).isEqualTo("198.51.100.44");
        assertThat(ecs.path("ecs").path("version").asText()).startsWith("8.");
    }

    private static ObjectNode syslogRoute(int port, boolean tls, String format) {
        ObjectNode route = Http.JSON.createObjectNode();
        route.put("sink", "syslog");
        route.put("format", format);
        route.putObject("events").putArray("user").add("LOGIN").add("LOGIN_ERROR");
        ObjectNode settings = route.putObject("settings");
        settings.put("host", "127.0.0.1");
        settings.put("port", port);
        settings.put("tls", tls);
        ObjectNode retry = route.putObject("retry");
        retry.put("initialDelaySeconds", 1);
        retry.put("maxDelaySeconds", 2);
        return route;
    }
}
