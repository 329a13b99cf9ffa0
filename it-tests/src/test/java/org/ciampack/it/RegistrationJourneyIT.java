package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Mailbox;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.pages.AccountConsole;
import org.ciampack.it.pages.LoginPage;
import org.ciampack.it.pages.LogoutPage;
import org.ciampack.it.pages.ProfilingPage;
import org.ciampack.it.pages.UpdatePasswordPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A new customer signs up on the branded page, verifies the address by mail and comes back later. */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
class RegistrationJourneyIT {

    @Test
    void newCustomerRegistersVerifiesEmailAndSignsInAgain(ServerUnderTest server, Mailbox mailbox, AdminApi admin,
                                                           Browser browser) {
        String email = "new-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String password = "Correct-Horse-42";
        URI realm = server.realmUrl("acme");

        browser.open(AccountConsole.url(realm));
        new LoginPage(browser)
                .assertBranded()
                .openRegistration()
                .register(email);

        JsonNode user = admin.findUserByEmail("acme", email);
        assertThat(user).as("registration created the user").isNotNull();
        assertThat(user.get("emailVerified").asBoolean()).isFalse();

        Mailbox.Mail mail = mailbox.await(email, m -> m.subject().toLowerCase().contains("verify"), Duration.ofSeconds(30));
        assertThat(mail.from()).contains("no-reply@acme.test");
        browser.open(mail.linkContaining("/login-actions/action-token"));
        new UpdatePasswordPage(browser).choose(password);
        new AccountConsole(browser).assertSignedInAs(email);
        assertThat(admin.findUserByEmail("acme", email).get("emailVerified").asBoolean()).isTrue();

        LogoutPage.logOut(browser, realm);

        // The second login: progressive profiling asks for the phone number, which may wait.
        browser.open(AccountConsole.url(realm));
        new LoginPage(browser).signIn(email, password);
        ProfilingPage profiling = new ProfilingPage(browser);
        assertThat(profiling.questions()).containsExactly("phone");
        profiling.notNow();
        new AccountConsole(browser).assertSignedInAs(email);
    }
}
