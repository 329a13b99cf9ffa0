package org.ciampack.consent;

/** One decision to record: on which version of which purpose. */
public record Choice(String purpose, int version, Decision decision) {
}
