package org.ciampack.consent;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MultivaluedHashMap;
import java.util.List;
import org.ciampack.common.testing.ModulePages;
import org.junit.jupiter.api.Test;

class ConsentFormTest {

    private static final ConsentPurpose TERMS = new ConsentPurpose("terms", 3, true, "t", "d", null, null, null);
    private static final ConsentPurpose NEWS = new ConsentPurpose("news", 1, false, "t", "d", null, null, null);

    @Test
    void tickedBoxesAreGrantsAndUntickedOnesDeclines() {
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.add("consent.terms", "on");
        ConsentForm.Answer answer = ConsentForm.read(List.of(TERMS, NEWS), form);
        assertThat(answer.complete()).isTrue();
        assertThat(answer.choices()).containsExactly(new Choice("terms", 3, Decision.GRANTED),
                new Choice("news", 1, Decision.DECLINED));
    }

    @Test
    void anUntickedRequiredPurposeIsNamed() {
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.add("consent.news", "on");
        form.add("consent.terms", "<script>");
        assertThat(ConsentForm.read(List.of(TERMS, NEWS), form).missingRequired()).containsExactly(TERMS);
    }

    /** The consent pages ship in this module's JAR with every text they and the code name, so any theme renders them. */
    @Test
    void itsPagesAndTextsShipWithTheModule() {
        assertThat(ModulePages.problems()).isEmpty();
    }
}
