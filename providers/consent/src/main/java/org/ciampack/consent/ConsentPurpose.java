package org.ciampack.consent;

import java.time.Instant;

/**
 * One thing a user may consent to, in its current version: e.g. {@code terms} v3, required. Title and description
 * are message keys, translated by the theme or the realm's localization texts. A version whose {@code effectiveFrom}
 * lies ahead is published but not asked yet. {@code reconsentAfter} asks everyone again without a new version.
 */
public record ConsentPurpose(String id, int version, boolean required, String title, String description,
        String documentUrl, Instant effectiveFrom, Instant reconsentAfter) {

    public boolean inEffect(Instant now) {
        return effectiveFrom == null || !now.isBefore(effectiveFrom);
    }

    public ConsentPurpose withReconsentAfter(Instant time) {
        return new ConsentPurpose(id, version, required, title, description, documentUrl, effectiveFrom, time);
    }
}
