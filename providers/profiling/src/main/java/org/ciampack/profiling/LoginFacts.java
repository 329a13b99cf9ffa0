package org.ciampack.profiling;

import java.util.Set;

/** What a stage's trigger looks at: which login this is for the user, the account's age, the client and scopes. */
public record LoginFacts(long loginNumber, long daysSinceRegistration, String clientId, Set<String> scopes) {
}
