package org.ciampack.events.outbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which master-realm routes may take other realms' events: those whose stored definition is exactly the one an admin
 * allowed to see every realm it names saved through the export API. The check on saving cannot guard a definition
 * that arrives another way (the realm API's attributes, a realm import, an edit of an approved route's URL), so the
 * API keeps the digest of what it checked in the route's state row, which no realm attribute reaches, and the
 * dispatcher compares.
 */
public final class CrossRealmApproval {

    private CrossRealmApproval() {
    }

    /** The digest of a stored definition (the realm attribute's text), or null for none. */
    public static String of(String storedDefinition) {
        if (storedDefinition == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(storedDefinition.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the stored definition is the approved one. */
    public static boolean approves(String approval, String storedDefinition) {
        return approval != null && storedDefinition != null && MessageDigest.isEqual(
                approval.getBytes(StandardCharsets.US_ASCII), of(storedDefinition).getBytes(StandardCharsets.US_ASCII));
    }
}
