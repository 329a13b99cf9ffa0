package org.ciampack.consent;

import java.util.Locale;

/** Where a decision was taken; kept in every receipt as part of the proof. */
public enum Source {
    REGISTRATION, LOGIN, SELF_SERVICE, ADMIN, IMPORT;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
