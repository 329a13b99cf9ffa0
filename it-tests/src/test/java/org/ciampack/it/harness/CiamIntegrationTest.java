package org.ciampack.it.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against the server under test: parameters of type {@link ServerUnderTest},
 * {@link AdminApi} and {@link Mailbox} are injected. The server is started once per run and shared.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ServerExtension.class)
public @interface CiamIntegrationTest {
}
