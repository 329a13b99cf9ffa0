package org.ciampack.profiling;

import java.time.Duration;
import java.util.List;
import org.ciampack.common.OrphanSweep;
import org.ciampack.common.StepFactory;
import org.ciampack.common.UserDeletions;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * "CIAM progressive profiling": place it after the user is known, in the browser, registration and first-broker-login
 * flows. Its factory also removes a user's profiling state with the user, and a realm's with the realm; that of users
 * Keycloak removed in bulk with the next sweeps
 * ({@code --spi-authenticator--ciam-progressive-profiling--orphan-sweep-seconds}, default 21600: six hours).
 */
public final class ProgressiveProfilingAuthenticatorFactory extends StepFactory {

    public static final String ID = "ciam-progressive-profiling";
    private static final ProgressiveProfilingAuthenticator AUTHENTICATOR = new ProgressiveProfilingAuthenticator();

    private Duration orphanSweep;
    private OrphanSweep sweep;

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(ProfilingPlan.STAGES).label("Stages")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("One stage per entry: 'attributes | trigger | skippable N'. Attributes are user-profile "
                    + "attribute names, comma separated; only those users may edit are ever asked. Triggers: "
                    + "'login N' (from the Nth login on; the registration is the first), 'days N' (N days after "
                    + "registration), 'client <client id>' or 'scope <client scope>' (as soon as that client or scope "
                    + "needs them). 'skippable N' lets the user answer 'not now' N times before the question is "
                    + "required; without it the question is required. Example: 'phone | login 2 | skippable 2'.")
            .add()
            .property().name(ProfilingPlan.MAX_QUESTIONS).label("Questions per login")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(ProfilingPlan.DEFAULT_MAX_QUESTIONS))
            .helpText("At most this many questions on one login; the rest wait for a later one. Questions a client "
                    + "or scope needs come first, then those that may no longer be skipped.")
            .add()
            .property().name(ProfilingPlan.SNOOZE_HOURS).label("Wait after a skip (hours)")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(ProfilingPlan.DEFAULT_SNOOZE_HOURS))
            .helpText("A skipped question is not asked again before this many hours have passed (0: at the next "
                    + "login). It is never asked twice in one login.")
            .add()
            .build();

    @Override
    public String getDisplayType() {
        return "CIAM progressive profiling";
    }

    @Override
    public String getHelpText() {
        return "Asks a few user-profile attributes at a time, when the plan's stages make them due, on a page built "
                + "from the realm's user profile (labels, input types, validators). Skips logins the CIAM risk step "
                + "rated medium or high. Emits UPDATE_PROFILE with the attributes collected and UPDATE_PROFILE_ERROR "
                + "'ciam_profiling_skipped' for each question skipped.";
    }

    @Override
    public String getReferenceCategory() {
        return "profiling";
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return AUTHENTICATOR;
    }

    @Override
    public void init(Config.Scope config) {
        orphanSweep = OrphanSweep.interval(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        UserDeletions.Cleanup cleanup = (session, realm, userId) ->
                new ProfilingStore(session).forgetUser(realm.getId(), userId);
        factory.register(UserDeletions.everyDeletion(cleanup));
        sweep = OrphanSweep.schedule(factory, "profiling", orphanSweep,
                List.of(new OrphanSweep.Table("ProfilingStateEntity")), cleanup);
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                new ProfilingStore(removed.getKeycloakSession()).forgetRealm(removed.getRealm().getId());
            }
        });
    }

    @Override
    public void close() {
        OrphanSweep.stop(sweep);
    }

    @Override
    public String getId() {
        return ID;
    }
}
