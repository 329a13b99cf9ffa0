package org.ciampack.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;

/**
 * The suite's test user storage ({@code org.ciampack.it.fixture.RefusingStore}, installed in every server the suite
 * starts): one customer whose e-mail is their username, never deleted by the store; imported as a linked local copy
 * with the demo profile's attributes, or held in the store ({@code f:<store>:<e-mail>}).
 */
public final class TestStores {

    private TestStores() {
    }

    /** Adds a store to the realm ({@code id} null: Keycloak picks one) and returns its id. */
    public static String add(AdminApi admin, String realm, String id, String email, String password,
                             boolean importing) {
        ObjectNode store = Http.JSON.createObjectNode().put("name", "directory " + email)
                .put("providerId", "test-refusing-store")
                .put("providerType", "org.keycloak.storage.UserStorageProvider")
                .put("parentId", admin.get("/realms/" + realm).get("id").asText());
        if (id != null) {
            store.put("id", id);
        }
        ObjectNode config = store.putObject("config");
        config.putArray("customer").add(email);
        config.putArray("password").add(password);
        config.putArray("enabled").add("true");
        config.putArray("import").add(String.valueOf(importing));
        ArrayNode attributes = config.putArray("attribute");
        AdminApi.EXISTING_CUSTOMER_PROFILE.forEach((name, value) -> attributes.add(name + "=" + value));
        HttpResponse<String> created = admin.send("POST", "/realms/" + realm + "/components", store);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
