package org.ciampack.it.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.ciampack.it.harness.PostgresServer;

/**
 * Customers in bulk, straight into Keycloak's PostgreSQL database while no node runs: each a copy of one template
 * customer made through the admin API and signed in once (so every row a real customer has exists: the user, the
 * password credential, attributes, role mappings, and for the pack's realm the login history, consent receipts and
 * standing, profiling state and notices). The copies share the template's password hash. Customer {@code n} of a
 * realm is {@code <prefix><n, 7 digits>}, e-mail {@code customer-<n>@<domain>}; history rows are spread over the
 * past days, so a customer has {@code historyRows} logins as the risk step reads them.
 */
final class CustomerSeeder {

    private static final int CHUNK = 100_000;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final PostgresServer database;

    CustomerSeeder(PostgresServer database) {
        this.database = database;
    }

    /** Copies of {@code templateUserId} numbered {@code from..to} (inclusive), in chunks with progress. */
    void seed(String templateUserId, String prefix, String domain, int from, int to, int historyRows) {
        for (int start = from; start <= to; start += CHUNK) {
            int end = Math.min(to, start + CHUNK - 1);
            Instant began = Instant.now();
            for (String sql : statements(templateUserId, prefix, domain, start, end, historyRows)) {
                database.query(sql);
            }
            System.out.printf(Locale.ROOT, "  seeded %s %d..%d in %d s%n", domain, start, end,
                    Duration.between(began, Instant.now()).toSeconds());
        }
        database.query("analyze");
    }

    /** The user id of customer {@code n}. */
    static String userId(String prefix, int n) {
        return prefix + String.format(Locale.ROOT, "%07d", n);
    }

    static String email(String domain, int n) {
        return "customer-" + n + "@" + domain;
    }

    private static List<String> statements(String template, String prefix, String domain, int from, int to,
            int historyRows) {
        String copies = " from generate_series(" + from + ", " + to + ") g";
        String id = "'" + prefix + "' || lpad(g::text, 7, '0')";
        String mail = "'customer-' || g || '@" + domain + "'";
        String isTemplate = " where t.user_id = '" + template + "'";
        return List.of(
                "insert into user_entity (id, email, email_constraint, email_verified, enabled, first_name, last_name,"
                        + " realm_id, username, created_timestamp, not_before, last_modified_timestamp) select " + id
                        + ", " + mail + ", " + mail + ", t.email_verified, t.enabled, t.first_name, t.last_name,"
                        + " t.realm_id, " + mail + ", t.created_timestamp, t.not_before, t.last_modified_timestamp"
                        + copies + ", user_entity t where t.id = '" + template + "'",
                "insert into credential (id, salt, type, user_id, created_date, user_label, secret_data,"
                        + " credential_data, priority, version) select gen_random_uuid()::text, t.salt, t.type, " + id
                        + ", t.created_date, t.user_label, t.secret_data, t.credential_data, t.priority, t.version"
                        + copies + ", credential t" + isTemplate,
                "insert into user_attribute (name, value, user_id, id, long_value_hash, long_value_hash_lower_case,"
                        + " long_value) select t.name, t.value, " + id + ", gen_random_uuid()::text,"
                        + " t.long_value_hash, t.long_value_hash_lower_case, t.long_value" + copies
                        + ", user_attribute t" + isTemplate,
                "insert into user_role_mapping (role_id, user_id) select t.role_id, " + id + copies
                        + ", user_role_mapping t" + isTemplate,
                // The newest history row, repeated a day apart: logins from the template's device and network.
                "insert into ciam_login_history (id, realm_id, user_id, login_time, score, risk_level, country, city,"
                        + " latitude, longitude, accuracy_radius, asn, device_id, user_agent_family, ip_address,"
                        + " local_hour) select gen_random_uuid()::text, t.realm_id, " + id + ", t.login_time - k * "
                        + DAY + ", t.score, t.risk_level, t.country, t.city, t.latitude, t.longitude,"
                        + " t.accuracy_radius, t.asn, t.device_id, t.user_agent_family, t.ip_address, t.local_hour"
                        + copies + ", generate_series(1, " + historyRows + ") k, (select * from ciam_login_history"
                        + " where user_id = '" + template + "' order by login_time desc limit 1) t",
                "insert into ciam_consent_receipt (id, realm_id, user_id, seq, purpose, purpose_version, decision,"
                        + " decided_at, source, client_id, ip_address, user_agent, pseudonymous) select"
                        + " gen_random_uuid()::text, t.realm_id, " + id + ", t.seq, t.purpose, t.purpose_version,"
                        + " t.decision, t.decided_at, t.source, t.client_id, t.ip_address, t.user_agent,"
                        + " t.pseudonymous" + copies + ", ciam_consent_receipt t" + isTemplate,
                "insert into ciam_consent_subject (realm_id, user_id, last_seq, latest, requests) select t.realm_id, "
                        + id + ", t.last_seq, t.latest, t.requests" + copies + ", ciam_consent_subject t" + isTemplate,
                "insert into ciam_profiling_user (realm_id, user_id, login_count, questions) select t.realm_id, " + id
                        + ", t.login_count, t.questions" + copies + ", ciam_profiling_user t" + isTemplate,
                "insert into ciam_risk_notice (realm_id, user_id, sent) select t.realm_id, " + id + ", t.sent"
                        + copies + ", ciam_risk_notice t" + isTemplate);
    }
}
