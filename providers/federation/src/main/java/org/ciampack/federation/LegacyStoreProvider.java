package org.ciampack.federation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.component.ComponentModel;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputUpdater;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.cache.UserCache;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.storage.ReadOnlyException;
import org.keycloak.storage.StorageUnavailableException;
import org.keycloak.storage.UserStoragePrivateUtil;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.user.ImportedUserValidation;
import org.keycloak.storage.user.SynchronizationResult;
import org.keycloak.storage.user.UserLookupProvider;
import org.keycloak.storage.user.UserQueryProvider;
import org.keycloak.storage.user.UserRegistrationProvider;

/**
 * A legacy customer database behind Keycloak. In lazy migration (the default) a customer Keycloak does not know is
 * looked up there and imported (profile only, linked to this store); their first successful password check against
 * the legacy hash stores the password as a Keycloak credential under the realm's hashing policy and removes the
 * link, so the legacy database is never asked about them again. With "import password hashes" the legacy hash itself
 * becomes their Keycloak credential at the import ({@link LegacyHashProvider}). In federated mode the legacy
 * database stays the owner: the local copy is refreshed from it whenever Keycloak's cache lets it go, the password is
 * always checked there, and what it holds cannot be changed in Keycloak. Admin search and count include the
 * customers not imported yet; a synchronization imports them all ({@link #synchronize}).
 */
final class LegacyStoreProvider implements UserStorageProvider, UserLookupProvider, UserQueryProvider,
        CredentialInputValidator, CredentialInputUpdater, ImportedUserValidation, UserRegistrationProvider {

    private static final int SEARCH_CHUNK = 200;
    private static final Logger LOG = Logger.getLogger(LegacyStoreProvider.class);
    /** In the provider's theme resources, so any login theme shows it. */
    static final String UNAVAILABLE_MESSAGE = "ciamLegacyStoreUnavailable";

    private final KeycloakSession session;
    private final ComponentModel model;
    private final LegacyStoreConfig config;
    private final LegacyCustomerDatabase database;
    /**
     * Lookups (statement and value) the legacy database answered with no customer, during this request (Keycloak
     * keeps one provider per session): a registration's checks ask about the same address up to five times, as a
     * username and as an e-mail address, and where the admin's two lookups are one statement (customers who sign in
     * with their address) one query answers both.
     */
    private final Set<Lookup> absent = new HashSet<>();

    /** One lookup: the admin's statement and the value it is asked with. */
    private record Lookup(String sql, String value) {
    }

    LegacyStoreProvider(KeycloakSession session, ComponentModel model, LegacyStoreConfig config,
                        LegacyCustomerDatabase database) {
        this.session = session;
        this.model = model;
        this.config = config;
        this.database = database;
    }

    /** The legacy database this provider asks (the store's pool, shared by the node's requests). */
    LegacyCustomerDatabase database() {
        return database;
    }

    /** The store's settings as the factory parsed them. */
    LegacyStoreConfig config() {
        return config;
    }

    @Override
    public UserModel getUserByUsername(RealmModel realm, String username) {
        return EqualFailureTime.timed(session, () -> lookUp(config.byUsernameSql(), username,
                () -> database.byUsername(username)).map(customer -> imported(realm, customer)).orElse(null));
    }

    @Override
    public UserModel getUserByEmail(RealmModel realm, String email) {
        return EqualFailureTime.timed(session, () -> lookUp(config.byEmailSql(), email,
                () -> database.byEmail(email)).map(customer -> imported(realm, customer)).orElse(null));
    }

    /** A lookup, not repeated in this request once the legacy database said it has no such customer. */
    private Optional<LegacyCustomer> lookUp(String sql, String key, Supplier<Optional<LegacyCustomer>> query) {
        Lookup memo = new Lookup(sql, key);
        if (absent.contains(memo)) {
            return Optional.empty();
        }
        Optional<LegacyCustomer> found = ask(query, () -> mustKnow(key));
        if (found.isEmpty()) {
            absent.add(memo);
        }
        return found;
    }

    /**
     * Asks the legacy database. When it cannot answer, a request that must have the answer stops with "try again
     * later" ({@code mustAnswer}); any other goes on without the store, as Keycloak does with an unavailable store.
     */
    private <T> T ask(Supplier<T> query, BooleanSupplier mustAnswer) {
        try {
            return Objects.requireNonNull(query.get());
        } catch (LegacyStoreUnavailable e) {
            if (mustAnswer.getAsBoolean()) {
                throw tryAgain();
            }
            throw new StorageUnavailableException(e.getMessage(), e);
        }
    }

    /**
     * Whether a lookup must be answered: someone signing in, registering or claiming an address ("not found" could
     * let them take a legacy customer's name); not a profile check of the signed-in customer's own name or address.
     */
    private boolean mustKnow(String key) {
        AuthenticationSessionModel flow = session.getContext().getAuthenticationSession();
        UserModel signedIn = flow == null ? null : flow.getAuthenticatedUser();
        return flow != null && (signedIn == null || !ownKey(signedIn, key));
    }

    /** A password check in a sign-in must be answered: "wrong password" would be unfair and counted. */
    private boolean signingIn() {
        return session.getContext().getAuthenticationSession() != null;
    }

    /** A lookup of the signed-in customer's own username or address (a profile check after their login). */
    private static boolean ownKey(UserModel user, String key) {
        return key.equalsIgnoreCase(user.getUsername()) || key.equalsIgnoreCase(user.getEmail());
    }

    private static AuthenticationFlowException tryAgain() {
        return new AuthenticationFlowException(AuthenticationFlowError.GENERIC_AUTHENTICATION_ERROR,
                "legacy customer database unavailable", UNAVAILABLE_MESSAGE);
    }

    @Override
    public UserModel getUserById(RealmModel realm, String id) {
        return null; // imported customers have local ids; Keycloak asks this store only about its own "f:" ids
    }

    /** The local copy of a legacy customer, linked to this store until their password migrates. */
    private UserModel imported(RealmModel realm, LegacyCustomer customer) {
        UserProvider local = UserStoragePrivateUtil.userLocalStorage(session);
        LegacyImports imports = imports(realm);
        Optional<LegacyImports.Imported> importedAs = imports.importOf(customer.username());
        UserModel existing = local.getUserByUsername(realm, customer.username());
        if (existing != null) {
            if (importedAs.map(LegacyImports.Imported::userId).filter(existing.getId()::equals).isPresent()) {
                return federated() && model.getId().equals(existing.getFederationLink()) ? owned(existing) : existing;
            }
            // someone else's account with this name is never handed out for the legacy customer
            LOG.warnf("Realm %s: legacy customer %s has the username of the Keycloak user %s; not imported, not "
                    + "merged: an admin decides", realm.getName(), customer.username(), existing.getId());
            return null;
        }
        if (importedAs.filter(before -> before.closed(federated()) || local.getUserById(realm, before.userId()) != null)
                .isPresent()) {
            // deleted in Keycloak, or renamed there: the legacy row does not bring them back
            LOG.debugf("Realm %s: legacy customer %s was imported before; not again", realm.getName(),
                    customer.username());
            return null;
        }
        UserModel sameAddress = customer.email() == null ? null : local.getUserByEmail(realm, customer.email());
        if (sameAddress != null && !realm.isDuplicateEmailsAllowed()) {
            LOG.warnf("Realm %s: legacy customer %s has the e-mail address of the Keycloak user %s; not imported, "
                    + "not merged: an admin decides", realm.getName(), customer.username(), sameAddress.getId());
            return null;
        }
        UserModel user = local.addUser(realm, customer.username());
        user.setEnabled(true);
        copyProfile(customer, user);
        LegacyMemberships.grant(session, realm, user, customer);
        Optional<LegacyPasswordHash> hash = config.importPasswordHashes()
                ? LegacyPasswordHash.parse(customer.passwordHash()) : Optional.empty();
        if (hash.isPresent()) {
            // Keycloak's own password check takes it from here, and re-hashes it at the first login
            user.credentialManager().createStoredCredential(LegacyHashProvider.credential(hash.get()));
        } else {
            user.setFederationLink(model.getId());
        }
        if (importedAs.isPresent()) {
            // their local copy went without a deletion: an admin removed the store's imported users, or (federated)
            // the legacy database did not have them for a while
            imports.forget(customer.username());
        }
        imports.record(customer, user.getId());
        return federated() ? owned(user) : user;
    }

    /**
     * What the legacy database holds of a customer's profile, copied where it differs; whether anything did. A new
     * address takes the legacy database's word on its verification; for the same address, a verification either
     * side made stands (Keycloak's own e-mail check is never undone by an older row).
     */
    private boolean copyProfile(LegacyCustomer customer, UserModel user) {
        boolean changed = false;
        if (!Objects.equals(user.getEmail(), customer.email() == null ? null : LegacyImports.lower(customer.email()))) {
            user.setEmail(customer.email());
            user.setEmailVerified(customer.emailVerified());
            changed = true;
        } else if (customer.emailVerified() && !user.isEmailVerified()) {
            user.setEmailVerified(true);
            changed = true;
        }
        if (!Objects.equals(user.getFirstName(), customer.firstName())) {
            user.setFirstName(customer.firstName());
            changed = true;
        }
        if (!Objects.equals(user.getLastName(), customer.lastName())) {
            user.setLastName(customer.lastName());
            changed = true;
        }
        for (Map.Entry<String, String> column : config.columns().attributes().entrySet()) {
            String attribute = column.getValue();
            String value = customer.attributes().get(attribute);
            if (!Objects.equals(user.getFirstAttribute(attribute), value)) {
                if (value == null) {
                    user.removeAttribute(attribute);
                } else {
                    user.setSingleAttribute(attribute, value);
                }
                changed = true;
            }
        }
        return changed;
    }

    private boolean federated() {
        return config.mode() == LegacyStoreConfig.Mode.FEDERATED;
    }

    /** A federated customer as Keycloak hands them out: what the legacy database holds is read only. */
    private UserModel owned(UserModel user) {
        return new FederatedCustomer(user, Set.copyOf(config.columns().attributes().values()));
    }

    /** New customers are Keycloak's own: the legacy database is never written. */
    @Override
    public UserModel addUser(RealmModel realm, String username) {
        return null;
    }

    /**
     * A linked customer can be deleted in Keycloak (without this, Keycloak refuses to delete a user whose store
     * cannot remove them). The legacy row stays, read only; the factory's listener has closed the import record, as
     * for every deleted customer, so that it never brings them back: a customer who deleted their account (or whom
     * an admin deleted) must not sign in again with the legacy password. In federated mode the export's
     * DELETE_ACCOUNT or admin DELETE event tells the owner.
     */
    @Override
    public boolean removeUser(RealmModel realm, UserModel user) {
        LOG.debugf("Realm %s: legacy customer %s deleted in Keycloak; the legacy row no longer signs them in",
                realm.getName(), user.getId());
        return true;
    }

    private LegacyImports imports(RealmModel realm) {
        return new LegacyImports(session, realm.getId(), model.getId());
    }

    @Override
    public boolean supportsCredentialType(String credentialType) {
        return PasswordCredentialModel.TYPE.equals(credentialType);
    }

    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String credentialType) {
        return supportsCredentialType(credentialType) && model.getId().equals(user.getFederationLink());
    }

    /** Brute-force detection has run before this (Keycloak checks it before any credential is validated). */
    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput input) {
        if (!supportsCredentialType(input.getType()) || !model.getId().equals(user.getFederationLink())) {
            return false;
        }
        if (!federated() && user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE)
                .findAny().isPresent()) {
            // A password set in Keycloak since the import (a reset, an admin) replaces the legacy one: the link
            // goes and Keycloak's own credential answers, now and from now on.
            user.setFederationLink(null);
            return false;
        }
        String password = input.getChallengeResponse();
        PasswordMigration migration = new PasswordMigration(session, config.checkPolicyAtMigration());
        boolean matches = EqualFailureTime.check(session, realm.getId(), () ->
                ask(() -> database.byUsername(user.getUsername()), this::signingIn)
                        .flatMap(customer -> LegacyPasswordHash.parse(customer.passwordHash()))
                        .map(hash -> hash.matches(password))
                        .orElse(false));
        if (matches && !federated()) {
            migration.migrate(realm, user, password);
        } else if (matches) {
            EqualFailureTime.matchWithoutRealmHash(session);
        } else {
            // Keycloak's own hash as for any wrong password; EqualFailureTime holds the answer for the legacy part
            migration.hashOnce(realm, password);
        }
        return matches;
    }

    /**
     * In lazy migration the local copy stands: the legacy database is asked only to check the first password. In
     * federated mode Keycloak calls this whenever its cache has let the customer go: the copy is refreshed from the
     * legacy database, and a customer it no longer has is removed (null); while it cannot answer, the copy as it is.
     */
    @Override
    public UserModel validate(RealmModel realm, UserModel user) {
        if (!federated()) {
            return user;
        }
        Optional<LegacyCustomer> customer;
        try {
            customer = EqualFailureTime.timed(session, () -> database.stillHas(user.getUsername()));
        } catch (LegacyStoreUnavailable e) {
            return owned(user);
        }
        if (customer.isEmpty()) {
            LOG.infof("Realm %s: federated customer %s is no longer in the legacy database; removed", realm.getName(),
                    user.getUsername());
            return null;
        }
        copyProfile(customer.get(), user);
        return owned(user);
    }

    /**
     * Federated: passwords are changed in the legacy system. Lazy migration: Keycloak stores the new one (a reset,
     * an admin), and the link ends now, as at a migration: the account is Keycloak's own from here on, and the
     * store's "Remove imported users" must not take it, with its password, before the customer next signs in.
     */
    @Override
    public boolean updateCredential(RealmModel realm, UserModel user, CredentialInput input) {
        if (!supportsCredentialType(input.getType())) {
            return false;
        }
        if (federated()) {
            throw new ReadOnlyException("the password is kept in the legacy customer database");
        }
        user.setFederationLink(null);
        return false;
    }

    @Override
    public void disableCredentialType(RealmModel realm, UserModel user, String credentialType) {
    }

    @Override
    public Stream<String> getDisableableCredentialTypesStream(RealmModel realm, UserModel user) {
        return Stream.empty();
    }

    /**
     * One page of a synchronization, in the caller's transaction: customers not imported yet are imported (with
     * their hash when the store imports hashes), federated ones already imported are refreshed. Returns how many
     * legacy rows the page held; fewer than {@code size} means the end.
     */
    int synchronize(RealmModel realm, int offset, int size, SynchronizationResult result) {
        List<LegacyCustomer> rows = database.search("", offset, size);
        LegacyImports imports = imports(realm);
        Set<String> known = imports.known(rows.stream().map(LegacyCustomer::username).toList());
        UserProvider local = UserStoragePrivateUtil.userLocalStorage(session);
        for (LegacyCustomer customer : rows) {
            if (!known.contains(LegacyImports.lower(customer.username()))) {
                if (imported(realm, customer) != null) {
                    result.increaseAdded();
                } else {
                    result.increaseFailed(); // its address belongs to a Keycloak user: logged, left to an admin
                }
            } else if (federated()) {
                UserModel user = local.getUserByUsername(realm, customer.username());
                if (user != null && model.getId().equals(user.getFederationLink()) && copyProfile(customer, user)) {
                    UserCache cache = session.getProvider(UserCache.class);
                    if (cache != null) {
                        cache.evict(realm, user); // written past the cache, which must not keep the old profile
                    }
                    result.increaseUpdated();
                }
            }
        }
        return rows.size();
    }

    /**
     * One page of the legacy customers matching the search that are not imported yet (imported ones are local
     * users, which Keycloak pages first), imported as they are shown, as Keycloak's LDAP store does. Pages are
     * counted among those not imported, so the next page starts where this one ended.
     */
    @Override
    public Stream<UserModel> searchForUserStream(RealmModel realm, Map<String, String> params, Integer first,
                                                 Integer max) {
        if (Boolean.parseBoolean(params.get(UserModel.EXACT))) {
            return exact(realm, params);
        }
        String term = term(params);
        if (term == null) {
            return Stream.empty();
        }
        int skip = first == null ? 0 : Math.max(0, first);
        int wanted = max == null || max < 0 ? 100 : Math.min(max, 1000);
        LegacyImports imports = imports(realm);
        List<LegacyCustomer> page = new ArrayList<>();
        int offset = 0;
        while (page.size() < wanted) {
            int from = offset;
            List<LegacyCustomer> rows = ask(() -> Optional.of(database.search(term, from, SEARCH_CHUNK)), () -> false)
                    .orElse(List.of());
            offset += rows.size();
            Set<String> imported = imports.known(rows.stream().map(LegacyCustomer::username).toList());
            for (LegacyCustomer customer : rows) {
                if (page.size() == wanted) {
                    break;
                }
                if (imported.contains(LegacyImports.lower(customer.username()))) {
                    continue;
                }
                if (skip > 0) {
                    skip--;
                } else {
                    page.add(customer);
                }
            }
            if (rows.size() < SEARCH_CHUNK) {
                break;
            }
        }
        return page.stream().map(customer -> imported(realm, customer));
    }

    /** An exact username or e-mail search: the one customer, imported, unless they are local already. */
    private Stream<UserModel> exact(RealmModel realm, Map<String, String> params) {
        Optional<LegacyCustomer> customer = params.containsKey(UserModel.USERNAME)
                ? ask(() -> database.byUsername(params.get(UserModel.USERNAME)), () -> false)
                : params.containsKey(UserModel.EMAIL) ? ask(() -> database.byEmail(params.get(UserModel.EMAIL)), () -> false)
                : Optional.empty();
        UserProvider local = UserStoragePrivateUtil.userLocalStorage(session);
        return customer.filter(found -> local.getUserByUsername(realm, found.username()) == null)
                .map(found -> imported(realm, found)).stream();
    }

    /**
     * Customers of the legacy database not imported yet: imported ones are local users, counted by Keycloak, or were
     * deleted there and are not customers any more.
     */
    @Override
    public int getUsersCount(RealmModel realm, Map<String, String> params) {
        String term = term(params);
        if (term == null) {
            return 0;
        }
        long legacy = ask(() -> Optional.of(database.count(term)), () -> false).orElse(0L);
        long imported = imports(realm).count(LegacyCustomerDatabase.pattern(term));
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, legacy - imported));
    }

    @Override
    public int getUsersCount(RealmModel realm, boolean includeServiceAccount) {
        return getUsersCount(realm, Map.of());
    }

    @Override
    public int getUsersCount(RealmModel realm) {
        return getUsersCount(realm, Map.of());
    }

    @Override
    public Stream<UserModel> getGroupMembersStream(RealmModel realm, GroupModel group, Integer first, Integer max) {
        return Stream.empty(); // legacy customers have no groups until they are imported
    }

    @Override
    public Stream<UserModel> searchForUserByUserAttributeStream(RealmModel realm, String name, String value) {
        return Stream.empty();
    }

    /** The search term of an admin or account search; null for a search this store cannot answer. */
    private static String term(Map<String, String> params) {
        if (params.containsKey(UserModel.SEARCH)) {
            return params.get(UserModel.SEARCH);
        }
        for (String key : new String[] {UserModel.USERNAME, UserModel.EMAIL}) {
            if (params.containsKey(key)) {
                return params.get(key);
            }
        }
        boolean onlyPaging = params.keySet().stream().allMatch(key -> key.equals(UserModel.INCLUDE_SERVICE_ACCOUNT)
                || key.equals(UserModel.EXACT) || key.equals(UserModel.ENABLED));
        return onlyPaging ? "" : null;
    }

    @Override
    public void close() {
        // the pool belongs to the factory and outlives the session
    }
}
