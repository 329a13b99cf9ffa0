package org.ciampack.consent;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.models.utils.FormMessage;

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

        /** One error per required purpose left unticked, on its checkbox. */
        public List<FormMessage> errors() {
            return missingRequired.stream()
                    .map(purpose -> new FormMessage(field(purpose), "ciamConsentRequiredMissing")).toList();
        }
    }

    public static Answer read(List<ConsentPurpose> asked, MultivaluedMap<String, String> form) {
        List<Choice> choices = new ArrayList<>();
        List<ConsentPurpose> missing = new ArrayList<>();
        for (ConsentPurpose purpose : asked) {
            boolean ticked = ticked(purpose, form);
            if (purpose.required() && !ticked) {
                missing.add(purpose);
            }
            choices.add(new Choice(purpose.id(), purpose.version(), ticked ? Decision.GRANTED : Decision.DECLINED));
        }
        return new Answer(choices, missing);
    }

    /** A checkbox sends "on"; an app posting the form may send "true". */
    public static boolean ticked(ConsentPurpose purpose, MultivaluedMap<String, String> form) {
        String value = form == null ? null : form.getFirst(field(purpose));
        return "on".equals(value) || "true".equals(value);
    }

    /** The purposes as the templates show them, ticked as in {@code form} (null: none ticked). */
    public static List<PurposeView> views(List<ConsentPurpose> purposes, MultivaluedMap<String, String> form) {
        return purposes.stream().map(purpose -> new PurposeView(purpose, ticked(purpose, form))).toList();
    }

    public static String field(ConsentPurpose purpose) {
        return FIELD_PREFIX + purpose.id();
    }
}
