package org.ciampack.common;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

class FirstUseRowsTest {

    private final List<Object> persisted = new ArrayList<>();
    private Object inTheDatabase;

    @Test
    void aRowThatCannotBeMadeInATransactionOfItsOwnIsMadeInTheCallers() {
        Object row = FirstUseRows.ensureAndLock(session(), String.class, "key", () -> "new row",
                LockModeType.PESSIMISTIC_WRITE);

        assertThat(row).isEqualTo("new row");
        assertThat(persisted).containsExactly("new row");
    }

    @Test
    void aRowThereIsReadWithTheLockAndNotMadeAgain() {
        inTheDatabase = "made elsewhere";

        Object row = FirstUseRows.ensureAndLock(session(), String.class, "key", () -> "new row",
                LockModeType.PESSIMISTIC_WRITE);

        assertThat(row).isEqualTo("made elsewhere");
        assertThat(persisted).isEmpty();
    }

    /** A request's session whose factory gives no second session (the pool has run out). */
    private KeycloakSession session() {
        KeycloakSessionFactory exhausted = proxy(KeycloakSessionFactory.class, (name, args) -> {
            throw new IllegalStateException("Unable to acquire JDBC Connection");
        });
        EntityManager em = proxy(EntityManager.class, (name, args) -> switch (name) {
            case "find" -> {
                assertThat(args).as("a locking read").hasSize(3);
                yield inTheDatabase;
            }
            case "persist" -> persisted.add(args[0]);
            default -> throw new UnsupportedOperationException(name);
        });
        JpaConnectionProvider jpa = proxy(JpaConnectionProvider.class, (name, args) -> switch (name) {
            case "getEntityManager" -> em;
            default -> throw new UnsupportedOperationException(name);
        });
        return proxy(KeycloakSession.class, (name, args) -> switch (name) {
            case "getKeycloakSessionFactory" -> exhausted;
            case "getProvider" -> jpa;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(FirstUseRowsTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method.getName(), args)));
    }
}
