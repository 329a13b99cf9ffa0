package org.ciampack.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's standing on each purpose: the latest decision per purpose (from the ledger), and the admin's requests
 * to decide again. Decides what the consent step must ask.
 */
public record ConsentState(Map<String, Latest> latest, Map<String, Instant> requests) {

    /** The latest receipt on one purpose. */
    public record Latest(int version, Decision decision, Instant decidedAt, long seq) {
    }

    public static ConsentState none() {
        return new ConsentState(Map.of(), Map.of());
    }

    /**
     * The purposes to ask about now: the version in force, never decided on, or decided before
     * an admin asked again (for everyone through the purpose, or for this user).
     */
    public List<ConsentPurpose> due(PurposeCatalog catalog, Instant now) {
        return catalog.inForce(now).stream().filter(this::isDue).toList();
    }

    /**
     * The choices that change something, in order. A choice equal to the standing decision on the same version is
     * dropped (repeating it would only add receipts and events), unless the purpose is due again: a re-consent
     * request, or a required purpose declined before, is answered by a new receipt even when the answer is the same.
     */
    public List<Choice> changes(List<Choice> choices, PurposeCatalog catalog, Instant now) {
        Map<String, Decision> standing = new HashMap<>();
        Map<String, Integer> versions = new HashMap<>();
        latest.forEach((purpose, last) -> {
            standing.put(purpose, last.decision());
            versions.put(purpose, last.version());
        });
        Set<String> asked = new HashSet<>();
        due(catalog, now).forEach(purpose -> asked.add(purpose.id()));
        List<Choice> changes = new ArrayList<>();
        for (Choice choice : choices) {
            boolean same = choice.decision() == standing.get(choice.purpose())
                    && Integer.valueOf(choice.version()).equals(versions.get(choice.purpose()));
            if (!same || asked.remove(choice.purpose())) {
                changes.add(choice);
                standing.put(choice.purpose(), choice.decision());
                versions.put(choice.purpose(), choice.version());
                asked.remove(choice.purpose()); // answered now
            }
        }
        return changes;
    }

    private boolean isDue(ConsentPurpose purpose) {
        Latest last = latest.get(purpose.id());
        if (last == null || last.version() < purpose.version()) {
            return true; // a decision on a later version (one published ahead, imported) stands for this one too
        }
        if (purpose.required() && !last.decision().granted()) {
            return true; // declined at the last login: asked again, or there is no way in
        }
        if (purpose.reconsentAfter() != null && last.decidedAt().isBefore(purpose.reconsentAfter())) {
            return true;
        }
        Instant requested = requests.get(purpose.id());
        return requested != null && last.decidedAt().isBefore(requested);
    }

    /** Whether the user currently grants the purpose (on any version: a grant holds until withdrawn). */
    public boolean grants(String purposeId) {
        Latest last = latest.get(purposeId);
        return last != null && last.decision().granted();
    }
}
