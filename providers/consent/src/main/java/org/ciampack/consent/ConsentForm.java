package org.ciampack.consent;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the consent checkboxes of a form ({@code consent.<purpose id>}) into choices, and names the required
 * purposes left unticked. Used by the login step and the registration page alike.
 */
public final class ConsentForm {

    public static final String FIELD_PREFIX = "consent.";

    private ConsentForm() {
    }

    public record Answer(List<Choice> choices, List<ConsentPurpose> missingRequired) {
        public boolean complete() {
            return missingRequired.isEmpty();
        }
    }

    public static Answer read(List<ConsentPurpose> asked, MultivaluedMap<String, String> form) {
        List<Choice> choices = new ArrayList<>();
        List<ConsentPurpose> missing = new ArrayList<>();
        for (ConsentPurpose purpose : asked) {
            boolean ticked = "on".equals(form.getFirst(FIELD_PREFIX + purpose.id()))
                    || "true".equals(form.getFirst(FIELD_PREFIX + purpose.id()));
            if (purpose.required() && !ticked) {
                missing.add(purpose);
            }
            choices.add(new Choice(purpose.id(), purpose.version(), ticked ? Decision.GRANTED : Decision.DECLINED));
        }
        return new Answer(choices, missing);
    }

    public static String field(ConsentPurpose purpose) {
        return FIELD_PREFIX + purpose.id();
    }
}
