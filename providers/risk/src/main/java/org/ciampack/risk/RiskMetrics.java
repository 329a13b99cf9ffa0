package org.ciampack.risk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import org.keycloak.models.RealmModel;

/**
 * Counters on Keycloak's metrics endpoint ({@code --metrics-enabled=true}, management port, {@code /metrics}):
 * assessments per realm and level ({@code ciam_risk_assessments_total}), so admins see what shadow mode would
 * enforce, and engine failures per realm ({@code ciam_risk_engine_errors_total}) to alert on. Registered in the
 * global registry, as Keycloak's own counters are; with metrics off the counts go nowhere.
 */
final class RiskMetrics {

    private static final Meter.MeterProvider<Counter> ASSESSMENTS = Counter.builder("ciam.risk.assessments")
            .description("Logins scored by the CIAM risk assessment step, by level (shadow mode included)")
            .withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Counter> ENGINE_ERRORS = Counter.builder("ciam.risk.engine.errors")
            .description("Risk assessments that failed and fell back to the realm's fail-open or fail-closed mode")
            .withRegistry(Metrics.globalRegistry);

    private RiskMetrics() {
    }

    static void assessed(RealmModel realm, RiskAssessment assessment) {
        ASSESSMENTS.withTags("realm", realm.getName(), "level", assessment.level().id()).increment();
    }

    static void engineError(RealmModel realm) {
        ENGINE_ERRORS.withTags("realm", realm.getName()).increment();
    }
}
