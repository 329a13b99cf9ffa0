package org.ciampack.risk.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When "new sign-in" e-mails go out: at most once per new device or country (a notice's keys) within the window,
 * and never more than {@code maxPerDay} to one customer in 24 hours, whatever the logins. A plain decision over
 * the notices already sent, which the caller keeps per customer.
 *
 * @param window    how long a device or country that had its notice stays quiet
 * @param maxPerDay notices one customer gets in 24 hours at most
 */
public record NoticeLimits(Duration window, int maxPerDay) {

    public static final int DEFAULT_WINDOW_DAYS = 30;
    public static final int DEFAULT_MAX_PER_DAY = 3;
    private static final Duration DAY = Duration.ofDays(1);

    /** One notice sent: what it was about and when. */
    public record Sent(String key, Instant at) {
    }

    public static NoticeLimits of(int windowDays, int maxPerDay) {
        return new NoticeLimits(Duration.ofDays(windowDays), maxPerDay);
    }

    /** As a session note: "window days,max per day". */
    public String note() {
        return window.toDays() + "," + maxPerDay;
    }

    /** The limits in a note; the defaults for an old note ("true") or a malformed one. */
    public static NoticeLimits fromNote(String note) {
        try {
            String[] parts = note.split(",");
            return of(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (RuntimeException e) {
            return of(DEFAULT_WINDOW_DAYS, DEFAULT_MAX_PER_DAY);
        }
    }

    /** The notices to keep after sending one for {@code keys} now, or null when none may be sent. */
    public List<Sent> send(List<Sent> sent, List<String> keys, Instant now) {
        List<Sent> kept = sent.stream()
                .filter(notice -> notice.at().isAfter(now.minus(window.compareTo(DAY) > 0 ? window : DAY)))
                .toList();
        boolean allTold = keys.stream().allMatch(key -> kept.stream()
                .anyMatch(notice -> notice.key().equals(key) && notice.at().isAfter(now.minus(window))));
        long today = kept.stream().map(Sent::at).distinct().filter(at -> at.isAfter(now.minus(DAY))).count();
        if (keys.isEmpty() || allTold || today >= maxPerDay) {
            return null;
        }
        // One send, one instant: a later send never shares the last one's, so sends are counted by their instants.
        Instant at = kept.stream().map(Sent::at).max(Instant::compareTo)
                .filter(last -> !now.isAfter(last)).map(last -> last.plusMillis(1)).orElse(now);
        List<Sent> updated = new ArrayList<>(kept);
        keys.forEach(key -> updated.add(new Sent(key, at)));
        return updated;
    }
}
