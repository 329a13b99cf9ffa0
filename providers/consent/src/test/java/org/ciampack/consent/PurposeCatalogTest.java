package org.ciampack.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PurposeCatalogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> problems(String json) throws Exception {
        List<String> problems = new ArrayList<>();
        PurposeCatalog.parse(JSON.readTree(json), problems);
        return problems;
    }

    @Test
    void aCompletePurposeParsesAndSurvivesTheRealmAttribute() throws Exception {
        List<String> problems = new ArrayList<>();
        ConsentPurpose purpose = PurposeCatalog.parse(JSON.readTree("""
                {"id": "privacy", "version": 2, "required": true, "title": "ciamConsentPrivacyTitle",
                 "description": "ciamConsentPrivacyDescription", "documentUrl": "https://acme.example/privacy",
                 "effectiveFrom": "2026-01-01T00:00:00Z"}"""), problems).orElseThrow();
        assertThat(problems).isEmpty();
        PurposeCatalog stored = PurposeCatalog.read(PurposeCatalog.empty().with(purpose).write());
        assertThat(stored.find("privacy")).contains(purpose);
    }

    @Test
    void everyProblemIsNamed() throws Exception {
        assertThat(problems("""
                {"id": "Bad Id", "version": 0, "required": "yes", "title": "<script>alert(1)</script>",
                 "documentUrl": "javascript:alert(1)", "effectiveFrom": "tomorrow", "colour": "red"}"""))
                .anySatisfy(p -> assertThat(p).startsWith("unknown field 'colour'"))
                .anySatisfy(p -> assertThat(p).startsWith("id must be"))
                .anySatisfy(p -> assertThat(p).startsWith("version must be"))
                .anySatisfy(p -> assertThat(p).startsWith("required must be"))
                .anySatisfy(p -> assertThat(p).startsWith("title must be a message key"))
                .anySatisfy(p -> assertThat(p).startsWith("description must be a message key"))
                .anySatisfy(p -> assertThat(p).startsWith("documentUrl must be"))
                .anySatisfy(p -> assertThat(p).startsWith("effectiveFrom must be"));
    }

    @Test
    void aDamagedAttributeReadsAsNoPurposes() {
        assertThat(PurposeCatalog.read("{not json").all()).isEmpty();
        assertThat(PurposeCatalog.read(null).all()).isEmpty();
    }
}
