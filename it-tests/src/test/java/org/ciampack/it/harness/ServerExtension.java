package org.ciampack.it.harness;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts (or connects to) the server under test once per run, keeps it in the root store so JUnit closes it
 * after the last test, injects it into tests, and prints the server log's tail when a test fails.
 */
public final class ServerExtension implements ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ServerExtension.class);

    public static ServerUnderTest server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(ServerUnderTest.class, key -> startTarget(), ServerUnderTest.class);
    }

    private static ServerUnderTest startTarget() {
        String target = System.getProperty("ciam.it.target", "local");
        return switch (target) {
            case "local" -> LocalKeycloak.start();
            case "remote" -> RemoteKeycloak.connect();
            default -> throw new IllegalStateException("ciam.it.target is '" + target + "'; use 'local' or 'remote'.");
        };
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ServerUnderTest.class || type == AdminApi.class || type == Mailbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ServerUnderTest server = server(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == AdminApi.class) {
            return server.admin();
        }
        if (type == Mailbox.class) {
            return server.mailbox();
        }
        return server;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println("[ciam-it] " + context.getDisplayName() + " failed; server log:\n" + server(context).logTail(80));
    }
}
