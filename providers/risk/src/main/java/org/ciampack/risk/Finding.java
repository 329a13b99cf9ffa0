package org.ciampack.risk;

/**
 * What one signal found: a strength from 0 (nothing unusual) to 1 (as risky as this signal gets), and a reason
 * code that explains it in events and to admins. A finding of strength 0 can still carry a reason (e.g.
 * {@code ip_allowed}) so the record shows why a signal stayed quiet.
 */
public record Finding(double strength, String reason) {

    public static final Finding NOTHING = new Finding(0, null);

    public Finding {
        if (strength < 0 || strength > 1 || Double.isNaN(strength)) {
            throw new IllegalArgumentException("strength must be within 0..1, was " + strength);
        }
    }

    public static Finding of(double strength, String reason) {
        return new Finding(strength, reason);
    }

    public static Finding note(String reason) {
        return new Finding(0, reason);
    }
}
