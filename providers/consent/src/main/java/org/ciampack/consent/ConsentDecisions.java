package org.ciampack.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.ciampack.consent.ledger.ConsentLedger;
import org.ciampack.consent.ledger.ReceiptEntity;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Records decisions: the receipts in the ledger, and one UPDATE_CONSENT event per recording (a form, an API call)
 * with the details {@code consent_purpose}, {@code consent_version}, {@code consent_decision} and
 * {@code consent_receipt}, each a comma-separated list in the same order, one item per decision (a single decision
 * is a list of one), and {@code consent_source}, so the export's CRM route can sync opt-ins and withdrawals.
 * One event rather than one per decision: a registration form decides three purposes or more, and every event is
 * a stored event, an outbox row with the profile and a CRM upsert.
 */
public final class ConsentDecisions {

    public static final String PURPOSE = "consent_purpose";
    public static final String VERSION = "consent_version";
    public static final String DECISION = "consent_decision";
    public static final String SOURCE = "consent_source";
    public static final String RECEIPT = "consent_receipt";

    private final KeycloakSession session;
    private final RealmModel realm;

    public ConsentDecisions(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public PurposeCatalog catalog() {
        return PurposeCatalog.read(realm.getAttribute(PurposeCatalog.ATTRIBUTE));
    }

    public ConsentSettings settings() {
        return ConsentSettings.read(realm.getAttribute(ConsentSettings.ATTRIBUTE));
    }

    public ConsentState state(UserModel user) {
        return new ConsentLedger(session).state(realm.getId(), user.getId());
    }

    /** What the consent step must ask this user now. */
    public List<ConsentPurpose> due(UserModel user) {
        PurposeCatalog catalog = catalog();
        return catalog.isEmpty() ? List.of() : state(user).due(catalog, Instant.now());
    }

    /**
     * Records the choices that change the user's standing (see {@link ConsentState#changes}); the rest write no
     * receipt and no event. Decisions from the self-service API count against the realm's decisions per minute:
     * beyond, nothing is recorded and {@link DecisionRate.Exceeded} says when to come back. The user's standing is
     * locked meanwhile, so the count and the check hold on every node.
     */
    public List<ReceiptEntity> record(UserModel user, Collection<Choice> choices, Source source, ClientModel client,
            boolean newUser) {
        if (choices.isEmpty()) {
            return List.of();
        }
        ConsentSettings settings = settings();
        ConsentLedger ledger = new ConsentLedger(session);
        ConsentLedger.Standing standing = ledger.lock(realm.getId(), user.getId(), newUser);
        Instant now = Instant.now();
        List<Choice> changes = standing.state().changes(List.copyOf(choices), catalog(), now);
        if (changes.isEmpty()) {
            return List.of();
        }
        if (source == Source.SELF_SERVICE) {
            DecisionRate rate = new DecisionRate(settings.decisionsPerMinute());
            ConsentLedger.Recent recent = ledger.since(realm.getId(), user.getId(), source, now.minus(DecisionRate.WINDOW));
            rate.wait(recent.count(), recent.oldest(), changes.size(), now).ifPresent(wait -> {
                throw new DecisionRate.Exceeded(rate.perMinute(), wait);
            });
        }
        var connection = session.getContext().getConnection();
        // Where the user decided: an admin's recording or import comes from the admin's browser, which is no proof.
        boolean byTheUser = source != Source.ADMIN && source != Source.IMPORT;
        String userAgent = !byTheUser || session.getContext().getRequestHeaders() == null ? null
                : session.getContext().getRequestHeaders().getHeaderString("User-Agent");
        String address = byTheUser && connection != null ? connection.getRemoteAddr() : null;
        DecisionOrigin origin = new DecisionOrigin(source, client != null ? client.getClientId() : null,
                settings.keep(address), userAgent);
        List<ReceiptEntity> receipts = standing.append(changes, origin);
        EventBuilder event = new EventBuilder(realm, session, connection).event(EventType.UPDATE_CONSENT).user(user)
                .detail(PURPOSE, list(receipts, ReceiptEntity::getPurpose))
                .detail(VERSION, list(receipts, receipt -> String.valueOf(receipt.getVersion())))
                .detail(DECISION, list(receipts, ReceiptEntity::getDecision))
                .detail(SOURCE, receipts.get(0).getSource())
                .detail(RECEIPT, list(receipts, ReceiptEntity::getId));
        if (client != null) {
            event.client(client);
        }
        event.success();
        receipts.forEach(receipt -> ConsentMetrics.decided(realm.getName(), receipt.getPurpose(),
                receipt.getDecision(), receipt.getSource()));
        return receipts;
    }

    /** One item per receipt, in their order, comma-separated. */
    private static String list(List<ReceiptEntity> receipts, Function<ReceiptEntity, String> item) {
        return receipts.stream().map(item).collect(Collectors.joining(","));
    }
}
