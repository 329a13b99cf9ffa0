package org.ciampack.federation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The demo's legacy web shop: an H2 database file with {@value #CUSTOMERS} customers (and their orders) whose
 * passwords old frameworks hashed, eight formats in turn. Customer n signs in as {@code shopper<n>@old-shop.example}
 * with {@code OldShop-<n>-Pass!}. Written once by the run command, with Keycloak's own H2 and Bouncy Castle:
 * <pre>java -cp ciam-federation.jar:h2.jar:bcprov.jar org.ciampack.federation.DemoLegacyShop &lt;folder&gt;</pre>
 */
public final class DemoLegacyShop {

    /** v2: with the indexed lower-cased address; a demo folder written before keeps its v1 file for its store. */
    public static final String DATABASE = "old-shop-v2";
    static final int CUSTOMERS = 1_000;
    /** The formats in turn: customer 1 bcrypt, 2 Django PBKDF2, ..., 8 SHA-1, 9 bcrypt again. */
    static final List<String> FORMATS = List.of("bcrypt", "pbkdf2_sha256", "argon2id", "scrypt", "ssha512", "phpass",
            "md5", "sha1");
    private static final List<String> FIRST_NAMES = List.of("Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta",
            "Hugo", "Ida", "Jonas");
    private static final List<String> LAST_NAMES = List.of("Schmidt", "Meyer", "Weber", "Fischer", "Wagner", "Becker",
            "Hoffmann", "Koch", "Richter", "Klein");

    private final SecureRandom random = new SecureRandom();

    private DemoLegacyShop() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: DemoLegacyShop <folder>");
            System.exit(2);
        }
        Path folder = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(folder);
        new DemoLegacyShop().write(folder);
    }

    static String email(int n) {
        return "shopper" + n + "@old-shop.example";
    }

    static String password(int n) {
        return "OldShop-" + n + "-Pass!";
    }

    private void write(Path folder) throws SQLException, GeneralSecurityException {
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + folder.resolve(DATABASE), "sa", "")) {
            try (Statement ddl = db.createStatement()) {
                ddl.execute("create table customers (id bigint primary key, email varchar(255) not null unique, "
                        + "email_verified boolean not null, password_hash varchar(255) not null, "
                        + "first_name varchar(100), last_name varchar(100), phone varchar(40), newsletter boolean not null, "
                        + "created_at timestamp not null, "
                        // H2 indexes no expressions: the lower-cased address is a generated column with an index,
                        // so the store's case-insensitive lookups read one entry instead of every customer.
                        + "email_lower varchar(255) generated always as (lower(email)))");
                ddl.execute("create index customers_email_lower on customers (email_lower)");
                ddl.execute("create table orders (id bigint primary key, "
                        + "customer_id bigint not null references customers, placed_at timestamp not null, "
                        + "total_cents integer not null, status varchar(20) not null)");
            }
            db.setAutoCommit(false);
            Instant opened = Instant.parse("2016-03-01T09:00:00Z");
            try (PreparedStatement customer = db.prepareStatement(
                    "insert into customers (id, email, email_verified, password_hash, first_name, last_name, phone, "
                            + "newsletter, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement order = db.prepareStatement("insert into orders values (?, ?, ?, ?, ?)")) {
                long orderId = 1;
                for (int n = 1; n <= CUSTOMERS; n++) {
                    Instant joined = opened.plus(n * 2L, ChronoUnit.DAYS);
                    customer.setLong(1, n);
                    customer.setString(2, email(n));
                    customer.setBoolean(3, n % 7 != 0);
                    customer.setString(4, hash(FORMATS.get((n - 1) % FORMATS.size()), password(n)));
                    customer.setString(5, FIRST_NAMES.get(n % 10));
                    customer.setString(6, LAST_NAMES.get((n / 10) % 10));
                    customer.setString(7, n % 3 == 0 ? null : String.format("+49 30 5550 %04d", n));
                    customer.setBoolean(8, n % 2 == 0);
                    customer.setTimestamp(9, Timestamp.from(joined));
                    customer.addBatch();
                    for (int k = 0; k < n % 4; k++) {
                        order.setLong(1, orderId++);
                        order.setLong(2, n);
                        order.setTimestamp(3, Timestamp.from(joined.plus(30L * (k + 1), ChronoUnit.DAYS)));
                        order.setInt(4, 1_999 + (n * 37 + k * 101) % 20_000);
                        order.setString(5, "delivered");
                        order.addBatch();
                    }
                }
                customer.executeBatch();
                order.executeBatch();
            }
            db.commit();
        }
    }

    /** The password as the legacy framework stored it; costs of older systems, low enough to write 1,000 in seconds. */
    private String hash(String format, String password) throws GeneralSecurityException {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        byte[] salt = salt(16);
        return switch (format) {
            case "bcrypt" -> OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, 8);
            case "pbkdf2_sha256" -> {
                String text = Base64.getEncoder().withoutPadding().encodeToString(salt(9)).replace('+', 'x')
                        .replace('/', 'y');
                byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                        .generateSecret(new PBEKeySpec(password.toCharArray(), text.getBytes(StandardCharsets.UTF_8),
                                20_000, 256)).getEncoded();
                yield "pbkdf2_sha256$20000$" + text + "$" + Base64.getEncoder().encodeToString(key);
            }
            case "argon2id" -> {
                byte[] out = new byte[32];
                Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
                argon2.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                        .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt).withMemoryAsKB(8_192)
                        .withIterations(2).withParallelism(1).build());
                argon2.generateBytes(secret, out);
                yield "$argon2id$v=19$m=8192,t=2,p=1$" + phc(salt) + "$" + phc(out);
            }
            case "scrypt" -> "$scrypt$ln=12,r=8,p=1$" + phc(salt) + "$"
                    + phc(SCrypt.generate(secret, salt, 1 << 12, 8, 1, 32));
            case "ssha512" -> {
                MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
                sha512.update(secret);
                byte[] digest = sha512.digest(salt);
                byte[] both = new byte[digest.length + salt.length];
                System.arraycopy(digest, 0, both, 0, digest.length);
                System.arraycopy(salt, 0, both, digest.length, salt.length);
                yield "{SSHA512}" + Base64.getEncoder().encodeToString(both);
            }
            case "phpass" -> phpass(secret);
            case "md5" -> HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(secret));
            default -> HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(secret));
        };
    }

    /** WordPress's portable hash: 2^8 rounds of MD5. */
    private String phpass(byte[] secret) throws GeneralSecurityException {
        StringBuilder setting = new StringBuilder("$P$").append(LegacyPasswordHash.ITOA64.charAt(8));
        for (int i = 0; i < 8; i++) {
            setting.append(LegacyPasswordHash.ITOA64.charAt(random.nextInt(64)));
        }
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(setting.substring(4).getBytes(StandardCharsets.US_ASCII));
        byte[] digest = md5.digest(secret);
        for (int round = 0; round < 1 << 8; round++) {
            md5.update(digest);
            digest = md5.digest(secret);
        }
        return setting + LegacyPasswordHash.itoa64(digest);
    }

    private byte[] salt(int length) {
        byte[] salt = new byte[length];
        random.nextBytes(salt);
        return salt;
    }

    private static String phc(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }
}
