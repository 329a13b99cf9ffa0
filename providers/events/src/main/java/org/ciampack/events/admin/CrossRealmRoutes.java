package org.ciampack.events.admin;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.ForbiddenException;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;

/**
 * Who may save a master-realm route that takes other realms' events ({@code "realms"}): nobody unless the operator
 * turned such routes on ({@code cross-realm-routes}), and then only an admin who may view the events of every realm
 * the route names ({@code "*"}: of every realm there is now). Master's manage-realm alone is not enough.
 */
final class CrossRealmRoutes {

    private CrossRealmRoutes() {
    }

    /** Problems with the route's {@code realms}; a {@link ForbiddenException} when a covered realm is not the admin's. */
    static List<String> check(KeycloakSession session, RealmModel realm, AdminAuth admin, JsonNode realms, boolean allowed) {
        if (!Config.getAdminRealm().equals(realm.getName())) {
            return List.of("realms: only routes of the master realm may take other realms' events");
        }
        if (!allowed) {
            return List.of("realms: routes that take other realms' events are turned off on this server; an operator "
                    + "turns them on with --spi-events-listener--ciam-export--cross-realm-routes=true");
        }
        List<String> problems = new ArrayList<>();
        List<RealmModel> covered = new ArrayList<>();
        for (JsonNode entry : realms) {
            String named = entry.asText("");
            if (named.equals("*")) {
                session.realms().getRealmsStream().forEach(covered::add);
            } else {
                RealmModel other = session.realms().getRealmByName(named);
                if (other == null) {
                    problems.add("realms: there is no realm '" + named + "'");
                } else {
                    covered.add(other);
                }
            }
        }
        for (RealmModel other : covered) {
            if (!AdminPermissions.evaluator(session, other, admin).realm().canViewEvents()) {
                throw new ForbiddenException("a route that takes the events of realm " + other.getName()
                        + " needs view-events in that realm");
            }
        }
        return problems;
    }
}
