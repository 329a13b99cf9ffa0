package org.ciampack.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
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
        PurposeCatalog stored = PurposeCatalog.read(PurposeCatalog.empty()
                .with(purpose, Instant.parse("2026-06-01T00:00:00Z")).write());
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

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private static ConsentPurpose terms(int version, Instant effectiveFrom) {
        return new ConsentPurpose("terms", version, true, "t" + version, "d", null, effectiveFrom, null);
    }

    @Test
    void aVersionPublishedAheadIsKeptBesideTheOneInForce() {
        Instant nextWeek = NOW.plusSeconds(7 * 86400);
        PurposeCatalog catalog = PurposeCatalog.empty().with(terms(3, null), NOW).with(terms(4, nextWeek), NOW);
        PurposeCatalog stored = PurposeCatalog.read(catalog.write());
        assertThat(stored.find("terms")).as("the latest, for the admin").contains(terms(4, nextWeek));
        assertThat(stored.inForce(NOW)).containsExactly(terms(3, null));
        assertThat(stored.findInForce("terms", nextWeek)).contains(terms(4, nextWeek));
        assertThat(stored.ahead("terms", NOW)).containsExactly(terms(4, nextWeek));
        assertThat(stored.all()).containsExactly(terms(4, nextWeek));
    }

    @Test
    void versionsBeforeTheOneInForceAreDroppedWhenTheCatalogChanges() {
        Instant yesterday = NOW.minusSeconds(86400);
        PurposeCatalog catalog = PurposeCatalog.empty().with(terms(3, null), yesterday.minusSeconds(86400))
                .with(terms(4, yesterday), yesterday.minusSeconds(86400));
        assertThat(PurposeCatalog.read(catalog.write()).inForce(NOW)).as("v4's date has come")
                .containsExactly(terms(4, yesterday));
        PurposeCatalog changed = catalog.with(terms(5, NOW.plusSeconds(86400)), NOW);
        assertThat(PurposeCatalog.read(changed.write()).findInForce("terms", NOW)).contains(terms(4, yesterday));
        assertThat(changed.write()).doesNotContain("\"t3\"");
    }

    @Test
    void aPurposeWithNoVersionInForceIsNotAskedYet() {
        PurposeCatalog catalog = PurposeCatalog.empty().with(terms(1, NOW.plusSeconds(60)), NOW);
        assertThat(catalog.inForce(NOW)).isEmpty();
        assertThat(catalog.isEmpty()).isFalse();
        assertThat(catalog.findInForce("terms", NOW)).isEmpty();
    }

    @Test
    void whatTheAdminApiAddsIsAcceptedBack() throws Exception {
        assertThat(problems("""
                {"id": "terms", "version": 2, "title": "t", "description": "d", "inForce": false,
                 "versionInForce": 1}""")).isEmpty();
    }

    @Test
    void aVersionAheadIsWithdrawnAndTheOneInForceStays() {
        PurposeCatalog catalog = PurposeCatalog.empty().with(terms(3, null), NOW)
                .with(terms(4, NOW.plusSeconds(86400)), NOW).withoutVersion("terms", 4);
        assertThat(PurposeCatalog.read(catalog.write()).all()).containsExactly(terms(3, null));
        assertThat(PurposeCatalog.empty().with(terms(1, NOW.plusSeconds(60)), NOW).withoutVersion("terms", 1).isEmpty())
                .as("a purpose whose only version was ahead").isTrue();
    }
}
