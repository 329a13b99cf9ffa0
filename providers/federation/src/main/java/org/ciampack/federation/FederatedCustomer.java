package org.ciampack.federation;

import java.util.List;
import java.util.Set;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.UserModelDelegate;
import org.keycloak.storage.ReadOnlyException;

/**
 * A customer of a federated legacy store as Keycloak hands them out: what the legacy database holds (username,
 * e-mail, names, the mapped columns) cannot be changed here, since the next refresh would undo it; everything
 * Keycloak keeps for itself (required actions, roles, groups, other attributes, the verified flag) can.
 */
final class FederatedCustomer extends UserModelDelegate {

    private final Set<String> owned;

    FederatedCustomer(UserModel local, Set<String> mappedAttributes) {
        super(local);
        this.owned = mappedAttributes;
    }

    @Override
    public void setUsername(String username) {
        refuse(USERNAME, getUsername(), username);
    }

    @Override
    public void setEmail(String email) {
        refuse(EMAIL, getEmail(), email);
    }

    @Override
    public void setFirstName(String firstName) {
        refuse(FIRST_NAME, getFirstName(), firstName);
    }

    @Override
    public void setLastName(String lastName) {
        refuse(LAST_NAME, getLastName(), lastName);
    }

    @Override
    public void setSingleAttribute(String name, String value) {
        if (ownedName(name)) {
            refuse(name, getFirstAttribute(name), value);
        } else {
            super.setSingleAttribute(name, value);
        }
    }

    @Override
    public void setAttribute(String name, List<String> values) {
        if (ownedName(name)) {
            String value = values == null || values.isEmpty() ? null : values.get(0);
            refuse(name, getFirstAttribute(name), values != null && values.size() > 1 ? values.toString() : value);
        } else {
            super.setAttribute(name, values);
        }
    }

    @Override
    public void removeAttribute(String name) {
        if (ownedName(name)) {
            refuse(name, getFirstAttribute(name), null);
        } else {
            super.removeAttribute(name);
        }
    }

    @Override
    public void setFederationLink(String link) {
        refuse("federation link", getFederationLink(), link);
    }

    private boolean ownedName(String name) {
        return USERNAME.equals(name) || EMAIL.equals(name) || FIRST_NAME.equals(name) || LAST_NAME.equals(name)
                || owned.contains(name);
    }

    /**
     * Writing what is already there is no change (a profile form sends every field back); Keycloak keeps usernames
     * and addresses in lower case, so their case is no change either.
     */
    private static void refuse(String what, String current, String wanted) {
        boolean caseless = USERNAME.equals(what) || EMAIL.equals(what);
        boolean same = current == null ? wanted == null || wanted.isEmpty()
                : caseless ? current.equalsIgnoreCase(wanted) : current.equals(wanted);
        if (!same) {
            throw new ReadOnlyException(what + " is kept in the legacy customer database");
        }
    }
}
