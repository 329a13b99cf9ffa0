package org.ciampack.federation;

/** The legacy database cannot answer now (down, slow, refusing): the caller fails this request and retries later. */
public final class LegacyStoreUnavailable extends RuntimeException {

    public LegacyStoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
