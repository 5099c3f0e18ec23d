package io.jenkins.plugins.platformsh.delivery;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture, as rules. One delivery takes one path down the delivery package, and each stage of the path is a
 * sub-package that may use only the stages below it:
 *
 * <pre>
 *   delivery            DeliveryService: calls each stage once, in order
 *     state             what survives a restart (the dedupe memory and the log, as files' contents)
 *     log               the delivery log: what was answered, and why each job did or did not build
 *     outcome           the answer to one delivery and what to queue
 *     wait              waiting pipeline steps, released by matching deliveries
 *     schedule          what a queued build carries: variables, cause text, the activity's record
 *     match             triggers' filters, indexed; why each one matched or not
 *     route             which branch job of a multibranch project an environment is
 *     dedupe            deliveries already seen
 *     redact            secrets out of everything kept or shown
 *     activity          the model of one activity and its streaming parser
 *     verify            signatures, tokens and the keys they are checked with
 *     receive           the request and its body, read within bounds
 *     text              JSON, HTML, patterns and form verdicts every stage shares
 * </pre>
 *
 * The package imports no Jenkins type, so that every decision is proven by the Maven-Central-only build. The
 * adapters around it ({@code io.jenkins.plugins.platformsh} and its other sub-packages) depend in one direction
 * too: the endpoint on top; {@code ui}; {@code pipeline}, {@code multibranch}, {@code metrics}; {@code trigger};
 * {@code config} and {@code store}. The Maven-Central-only build does not compile the adapters, so their rules check
 * them in the root build and pass empty there.
 */
@AnalyzeClasses(packages = "io.jenkins.plugins.platformsh", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String DELIVERY = "io.jenkins.plugins.platformsh.delivery";

    @ArchTest
    static final ArchRule deliveryImportsOnlyJavaAndJackson = noClasses()
            .that()
            .resideInAPackage(DELIVERY + "..")
            .should()
            .dependOnClassesThat()
            .resideOutsideOfPackages(DELIVERY + "..", "java..", "javax.crypto..", "com.fasterxml.jackson..")
            .because("every decision is made and proven without Jenkins (.ci/pom.xml builds it from Maven Central)");

    @ArchTest
    static final ArchRule stagesDependOnlyDownward = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("service")
            .definedBy(DELIVERY)
            .layer("state")
            .definedBy(DELIVERY + ".state..")
            .layer("log")
            .definedBy(DELIVERY + ".log..")
            .layer("outcome")
            .definedBy(DELIVERY + ".outcome..")
            .layer("wait")
            .definedBy(DELIVERY + ".wait..")
            .layer("schedule")
            .definedBy(DELIVERY + ".schedule..")
            .layer("match")
            .definedBy(DELIVERY + ".match..")
            .layer("route")
            .definedBy(DELIVERY + ".route..")
            .layer("dedupe")
            .definedBy(DELIVERY + ".dedupe..")
            .layer("redact")
            .definedBy(DELIVERY + ".redact..")
            .layer("activity")
            .definedBy(DELIVERY + ".activity..")
            .layer("verify")
            .definedBy(DELIVERY + ".verify..")
            .layer("receive")
            .definedBy(DELIVERY + ".receive..")
            .layer("text")
            .definedBy(DELIVERY + ".text..")
            .whereLayer("service")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("state")
            .mayOnlyBeAccessedByLayers("service")
            .whereLayer("log")
            .mayOnlyBeAccessedByLayers("service", "state")
            .whereLayer("outcome")
            .mayOnlyBeAccessedByLayers("service", "state", "log")
            .whereLayer("wait")
            .mayOnlyBeAccessedByLayers("service", "state", "log", "outcome")
            .whereLayer("schedule")
            .mayOnlyBeAccessedByLayers("service", "state", "log", "outcome", "wait")
            .whereLayer("match")
            .mayOnlyBeAccessedByLayers("service", "state", "log", "outcome", "wait", "schedule")
            .whereLayer("route")
            .mayOnlyBeAccessedByLayers("service", "state", "log", "outcome", "wait", "schedule", "match")
            .whereLayer("dedupe")
            .mayOnlyBeAccessedByLayers("service", "state", "log", "outcome", "wait", "schedule", "match", "route")
            .whereLayer("redact")
            .mayOnlyBeAccessedByLayers(
                    "service", "state", "log", "outcome", "wait", "schedule", "match", "route", "dedupe")
            .whereLayer("activity")
            .mayOnlyBeAccessedByLayers(
                    "service", "state", "log", "outcome", "wait", "schedule", "match", "route", "dedupe", "redact")
            .whereLayer("verify")
            .mayOnlyBeAccessedByLayers(
                    "service",
                    "state",
                    "log",
                    "outcome",
                    "wait",
                    "schedule",
                    "match",
                    "route",
                    "dedupe",
                    "redact",
                    "activity")
            .whereLayer("receive")
            .mayOnlyBeAccessedByLayers(
                    "service",
                    "state",
                    "log",
                    "outcome",
                    "wait",
                    "schedule",
                    "match",
                    "route",
                    "dedupe",
                    "redact",
                    "activity",
                    "verify")
            .whereLayer("text")
            .mayOnlyBeAccessedByLayers(
                    "service",
                    "state",
                    "log",
                    "outcome",
                    "wait",
                    "schedule",
                    "match",
                    "route",
                    "dedupe",
                    "redact",
                    "activity",
                    "verify",
                    "receive");

    @ArchTest
    static final ArchRule deliveryStagesAreFreeOfCycles =
            slices().matching(DELIVERY + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule adaptersAreFreeOfCycles = slices().matching("io.jenkins.plugins.platformsh.(*)..")
            .should()
            .beFreeOfCycles()
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule adaptersDependOneWay = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("endpoint")
            .definedBy("io.jenkins.plugins.platformsh")
            .layer("ui")
            .definedBy("io.jenkins.plugins.platformsh.ui..")
            .layer("features")
            .definedBy(
                    "io.jenkins.plugins.platformsh.pipeline..",
                    "io.jenkins.plugins.platformsh.multibranch..",
                    "io.jenkins.plugins.platformsh.metrics..")
            .layer("trigger")
            .definedBy("io.jenkins.plugins.platformsh.trigger..")
            .layer("config")
            .definedBy("io.jenkins.plugins.platformsh.config..", "io.jenkins.plugins.platformsh.store..")
            .whereLayer("endpoint")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("ui")
            .mayOnlyBeAccessedByLayers("endpoint")
            .whereLayer("features")
            .mayOnlyBeAccessedByLayers("endpoint", "ui", "features")
            .whereLayer("trigger")
            .mayOnlyBeAccessedByLayers("endpoint", "ui", "features")
            .whereLayer("config")
            .mayOnlyBeAccessedByLayers("endpoint", "ui", "features", "trigger")
            .allowEmptyShould(true);
}
