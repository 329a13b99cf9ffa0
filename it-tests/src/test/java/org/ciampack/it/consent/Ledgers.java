package org.ciampack.it.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;

/** The demo realm's consent purposes and a customer's receipts, as an auditor reads them through the admin API. */
public final class Ledgers {

    private Ledgers() {
    }

    /** The purpose's version in force. */
    public static int version(AdminApi admin, String purpose) {
        return Http.json(admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("purposes/" + purpose), null).body())
                .get("version").asInt();
    }

    /** Publishes the next version of the privacy notice, which every customer must accept again; returns it. */
    public static int publishNextPrivacyVersion(AdminApi admin) {
        URI api = admin.consentAdmin("acme");
        JsonNode privacy = Http.json(admin.sendAsAdmin("GET", api.resolve("purposes/privacy"), null).body());
        ObjectNode next = ((ObjectNode) privacy.deepCopy()).put("version", privacy.get("version").asInt() + 1)
                .put("description", "ciamConsentPrivacyNext");
        assertThat(admin.sendAsAdmin("PUT", api.resolve("purposes/privacy"), next).statusCode()).isEqualTo(200);
        return next.get("version").asInt();
    }

    /** The customer's receipts, oldest first. */
    public static JsonNode ledger(AdminApi admin, String userId) {
        HttpResponse<String> response = admin.sendAsAdmin("GET", admin.consentAdmin("acme")
                .resolve("users/" + userId + "/ledger"), null);
        assertThat(response.statusCode()).isEqualTo(200);
        return Http.json(response.body());
    }

    /** Each receipt as {@code purpose:version:decision}. */
    public static List<String> decisions(JsonNode ledger) {
        List<String> list = new ArrayList<>();
        ledger.forEach(receipt -> list.add(receipt.get("purpose").asText() + ":" + receipt.get("version").asInt() + ":"
                + receipt.get("decision").asText()));
        return list;
    }
}
