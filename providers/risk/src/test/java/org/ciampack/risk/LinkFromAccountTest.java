package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;

import org.ciampack.common.testing.ModulePages;
import org.junit.jupiter.api.Test;

class LinkFromAccountTest {

    @Test
    void passesOnlyWhereKeycloakMailsTheLink() {
        assertThat(LinkFromAccount.noLinkMailed(false, false, false)).isNull();
        assertThat(LinkFromAccount.noLinkMailed(true, false, false)).isEqualTo("no_mail_server");
        assertThat(LinkFromAccount.noLinkMailed(true, true, false)).isEqualTo("no_mail_server");
        assertThat(LinkFromAccount.noLinkMailed(false, true, false)).isEqualTo("changed_on_review");
        assertThat(LinkFromAccount.noLinkMailed(false, false, true)).isEqualTo("changed_on_review");
    }

    /** This page, the e-mail code's page and both e-mails ship in this module's JAR, so any theme renders them. */
    @Test
    void itsPagesAndTextsShipWithTheModule() {
        assertThat(ModulePages.problems()).isEmpty();
    }
}
