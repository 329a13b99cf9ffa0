package org.ciampack.risk.history;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import org.keycloak.connections.jpa.AsynchronousCommitAllowed;

/**
 * One row of CIAM_LOGIN_HISTORY (created by META-INF/ciam-risk-changelog.xml). Written in the login's transaction,
 * which Keycloak commits without waiting for the disk on PostgreSQL when it only wrote sessions and events; a history
 * row is of that kind (a row lost to a database crash is lost with the session it describes), so it keeps the login's
 * commit asynchronous. Changing or deleting rows (an admin's, a customer's) does not.
 */
@Entity
@Table(name = "CIAM_LOGIN_HISTORY")
@NamedQueries({
        @NamedQuery(name = "ciamLoginHistory.recent", query = "select h.loginTime, h.score, h.riskLevel, "
                + "h.countryCode, h.city, h.latitude, h.longitude, h.accuracyRadiusKm, h.asn, h.deviceId, "
                + "h.userAgentFamily, h.ipAddress, h.localHour from LoginHistoryEntity h "
                + "where h.realmId = :realmId and h.userId = :userId order by h.loginTime desc, h.id desc"),
        @NamedQuery(name = "ciamLoginHistory.times", query = "select h.loginTime from LoginHistoryEntity h "
                + "where h.realmId = :realmId and h.userId = :userId order by h.loginTime desc, h.id desc"),
        @NamedQuery(name = "ciamLoginHistory.deleteUser",
                query = "delete from LoginHistoryEntity h where h.realmId = :realmId and h.userId = :userId"),
        @NamedQuery(name = "ciamLoginHistory.deleteDevice", query = "delete from LoginHistoryEntity h "
                + "where h.realmId = :realmId and h.userId = :userId and h.deviceId = :deviceId"),
        @NamedQuery(name = "ciamLoginHistory.deleteRealm", query = "delete from LoginHistoryEntity h where h.realmId = :realmId"),
        @NamedQuery(name = "ciamLoginHistory.deleteBefore", query = "delete from LoginHistoryEntity h "
                + "where h.realmId = :realmId and h.userId = :userId and h.loginTime < :before")
})
public class LoginHistoryEntity implements AsynchronousCommitAllowed {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 255, nullable = false)
    private String userId;

    @Column(name = "LOGIN_TIME", nullable = false)
    private long loginTime;

    @Column(name = "SCORE")
    private int score;

    @Column(name = "RISK_LEVEL", length = 8)
    private String riskLevel;

    @Column(name = "COUNTRY", length = 2)
    private String countryCode;

    @Column(name = "CITY", length = 255)
    private String city;

    @Column(name = "LATITUDE")
    private Double latitude;

    @Column(name = "LONGITUDE")
    private Double longitude;

    @Column(name = "ACCURACY_RADIUS")
    private int accuracyRadiusKm;

    @Column(name = "ASN")
    private Long asn;

    @Column(name = "DEVICE_ID", length = 64)
    private String deviceId;

    @Column(name = "USER_AGENT_FAMILY", length = 32)
    private String userAgentFamily;

    @Column(name = "IP_ADDRESS", length = 64)
    private String ipAddress;

    @Column(name = "LOCAL_HOUR")
    private Integer localHour;

    protected LoginHistoryEntity() {
    }

    LoginHistoryEntity(String id, String realmId, String userId, PastLogin login) {
        this.id = id;
        this.realmId = realmId;
        this.userId = userId;
        this.loginTime = login.time().toEpochMilli();
        this.score = login.score();
        this.riskLevel = login.level();
        this.countryCode = login.countryCode();
        this.city = truncate(login.city(), 255);
        this.latitude = login.latitude();
        this.longitude = login.longitude();
        this.accuracyRadiusKm = login.accuracyRadiusKm();
        this.asn = login.asn();
        this.deviceId = truncate(login.deviceId(), 64);
        this.userAgentFamily = truncate(login.userAgentFamily(), 32);
        this.ipAddress = truncate(login.ipAddress(), 64);
        this.localHour = login.localHour();
    }

    /** A row of the {@code ciamLoginHistory.recent} query, whose columns are in the order of the fields here. */
    static PastLogin toPastLogin(Object[] row) {
        return new PastLogin(java.time.Instant.ofEpochMilli((Long) row[0]), number(row[1]), (String) row[2],
                (String) row[3], (String) row[4], (Double) row[5], (Double) row[6], number(row[7]), (Long) row[8],
                (String) row[9], (String) row[10], (String) row[11], (Integer) row[12]);
    }

    private static int number(Object value) {
        return value == null ? 0 : (Integer) value;
    }

    private static String truncate(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }

    @Override
    public boolean isAsyncCommitAllowed(EntityOperationType operation) {
        return operation == EntityOperationType.INSERT;
    }
}
