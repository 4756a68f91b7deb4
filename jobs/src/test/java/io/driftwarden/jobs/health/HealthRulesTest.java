package io.driftwarden.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.yaml.YamlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * One line per object: the real live objects of {@code live-objects/health} (gitops-engine's fixtures; their file names
 * say gitops-engine's verdict, the expected state here is kstatus's, which the comments explain where they differ), then
 * crafted objects for the rules the fixtures do not reach, and hostile ones (wrong types, odd shapes) that must read as
 * a state, never as an exception.
 */
class HealthRulesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
    private final HealthRules rules = new HealthRules(CLOCK);

    static Stream<Arguments> fixtures() {
        return Stream.of(
                row("deployment-degraded.yaml", HealthState.FAILED, "ProgressDeadlineExceeded"),
                row("deployment-progressing.yaml", HealthState.IN_PROGRESS, "ExtraPods"), // 2 pods for 1 replica: the old one still terminates
                row("deployment-suspended.yaml", HealthState.IN_PROGRESS, "ExtraPods"), // kstatus has no "paused": the counts decide
                row("job-failed.yaml", HealthState.FAILED, "BackoffLimitExceeded"),
                row("job-running.yaml", HealthState.CURRENT, ""), // kstatus: a started Job is reconciled
                row("job-succeeded.yaml", HealthState.CURRENT, ""),
                row("pod-crashloop.yaml", HealthState.FAILED, "ContainerCrashLooping"),
                row("pod-imagepullbackoff.yaml", HealthState.IN_PROGRESS, "PodPending"), // kstatus: Pending, not unschedulable
                row("pod-pending.yaml", HealthState.IN_PROGRESS, "PodPending"),
                row("pvc-bound.yaml", HealthState.CURRENT, ""),
                row("pvc-pending.yaml", HealthState.IN_PROGRESS, "NotBound"),
                row("statefulset.yaml", HealthState.CURRENT, ""),
                row("svc-loadbalancer.yaml", HealthState.CURRENT, ""),
                row("svc-loadbalancer-unassigned.yaml", HealthState.IN_PROGRESS, "NoIngressAssigned"),
                row("ingress.yaml", HealthState.CURRENT, ""),
                row("ingress-unassigned.yaml", HealthState.CURRENT, ""), // kstatus has no Ingress rule: Current
                row("hpa-v2-healthy.yaml", HealthState.CURRENT, ""),
                row("hpa-v2-degraded.yaml", HealthState.CURRENT, "")); // kstatus has no HPA rule: Current
    }

    static Stream<Arguments> crafted() {
        return Stream.of(
                // generic (kstatus generic.go)
                crafted("observed generation behind", """
                        {apiVersion: apps/v1, kind: Deployment, metadata: {generation: 3},
                         status: {observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1}}""",
                        HealthState.IN_PROGRESS, "LatestGenerationNotObserved"),
                crafted("being deleted", "{apiVersion: v1, kind: ConfigMap, metadata: {deletionTimestamp: '2026-12-03T11:00:00Z'}}",
                        HealthState.IN_PROGRESS, "Terminating"),
                crafted("custom kind Reconciling", """
                        {apiVersion: example.io/v1, kind: Widget, status: {conditions: [{type: Reconciling, status: 'True', reason: Scaling}]}}""",
                        HealthState.IN_PROGRESS, "Scaling"),
                crafted("custom kind Stalled", """
                        {apiVersion: example.io/v1, kind: Widget, status: {conditions: [{type: Stalled, status: 'True', reason: BadSpec, message: no}]}}""",
                        HealthState.FAILED, "BadSpec"),
                crafted("custom kind Ready=True", "{apiVersion: example.io/v1, kind: Widget, status: {conditions: [{type: Ready, status: 'True'}]}}",
                        HealthState.CURRENT, ""),
                crafted("custom kind Ready=False", """
                        {apiVersion: example.io/v1, kind: Widget, status: {conditions: [{type: Ready, status: 'False', reason: Waiting}]}}""",
                        HealthState.IN_PROGRESS, "Waiting"),
                crafted("custom kind without conditions (kstatus: Current)", "{apiVersion: example.io/v1, kind: Widget, spec: {}}",
                        HealthState.CURRENT, ""),
                // Deployment (kstatus core.go deploymentConditions)
                crafted("deployment rolled out", """
                        {apiVersion: apps/v1, kind: Deployment, metadata: {generation: 2}, spec: {replicas: 2, progressDeadlineSeconds: 600},
                         status: {observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2,
                          conditions: [{type: Available, status: 'True'}, {type: Progressing, status: 'True', reason: NewReplicaSetAvailable}]}}""",
                        HealthState.CURRENT, ""),
                crafted("deployment without status yet", "{apiVersion: apps/v1, kind: Deployment, metadata: {generation: 1}, spec: {replicas: 1}}",
                        HealthState.IN_PROGRESS, "LessReplicas"),
                crafted("deployment ready but Progressing not yet NewReplicaSetAvailable", """
                        {apiVersion: apps/v1, kind: Deployment, spec: {replicas: 1, progressDeadlineSeconds: 600},
                         status: {replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1,
                          conditions: [{type: Available, status: 'True'}, {type: Progressing, status: 'True', reason: ReplicaSetUpdated}]}}""",
                        HealthState.IN_PROGRESS, "ReplicaSetNotAvailable"),
                // StatefulSet, DaemonSet, ReplicaSet
                crafted("statefulset revision mismatch", """
                        {apiVersion: apps/v1, kind: StatefulSet, spec: {replicas: 1},
                         status: {replicas: 1, readyReplicas: 1, currentReplicas: 1, currentRevision: a, updateRevision: b}}""",
                        HealthState.IN_PROGRESS, "RevisionMismatch"),
                crafted("statefulset OnDelete", "{apiVersion: apps/v1, kind: StatefulSet, spec: {updateStrategy: {type: OnDelete}}}",
                        HealthState.CURRENT, ""),
                crafted("daemonset never observed", "{apiVersion: apps/v1, kind: DaemonSet, metadata: {generation: 1}}",
                        HealthState.IN_PROGRESS, "NoObservedGeneration"),
                crafted("daemonset on every node", """
                        {apiVersion: apps/v1, kind: DaemonSet, metadata: {generation: 1}, status: {observedGeneration: 1,
                         desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberReady: 3}}""",
                        HealthState.CURRENT, ""),
                crafted("daemonset not ready everywhere", """
                        {apiVersion: apps/v1, kind: DaemonSet, metadata: {generation: 1}, status: {observedGeneration: 1,
                         desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberReady: 2}}""",
                        HealthState.IN_PROGRESS, "LessReady"),
                crafted("replicaset all there", """
                        {apiVersion: apps/v1, kind: ReplicaSet, spec: {replicas: 2},
                         status: {replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2}}""",
                        HealthState.CURRENT, ""),
                crafted("replicaset replica failure", """
                        {apiVersion: apps/v1, kind: ReplicaSet, status: {conditions: [{type: ReplicaFailure, status: 'True', message: quota}]}}""",
                        HealthState.IN_PROGRESS, "ReplicaFailure"),
                // Job, Pod, Service, CRD, APIService, always ready
                crafted("job not started", "{apiVersion: batch/v1, kind: Job, spec: {}}", HealthState.IN_PROGRESS, "JobNotStarted"),
                crafted("pod unschedulable past the window", """
                        {apiVersion: v1, kind: Pod, metadata: {creationTimestamp: '2026-12-03T11:00:00Z'}, status: {phase: Pending,
                         conditions: [{type: PodScheduled, status: 'False', reason: Unschedulable}]}}""",
                        HealthState.FAILED, "PodUnschedulable"),
                crafted("pod unschedulable within the window", """
                        {apiVersion: v1, kind: Pod, metadata: {creationTimestamp: '2026-12-03T11:59:55Z'}, status: {phase: Pending,
                         conditions: [{type: PodScheduled, status: 'False', reason: Unschedulable}]}}""",
                        HealthState.IN_PROGRESS, "PodNotScheduled"),
                crafted("pod ready", "{apiVersion: v1, kind: Pod, status: {phase: Running, conditions: [{type: Ready, status: 'True'}]}}",
                        HealthState.CURRENT, ""),
                crafted("pod phase nobody knows", "{apiVersion: v1, kind: Pod, status: {phase: Exploded}}", HealthState.UNKNOWN, "UnknownPhase"),
                crafted("cluster IP service", "{apiVersion: v1, kind: Service, spec: {type: ClusterIP}}", HealthState.CURRENT, ""),
                crafted("crd established", """
                        {apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition,
                         status: {conditions: [{type: NamesAccepted, status: 'True'}, {type: Established, status: 'True'}]}}""",
                        HealthState.CURRENT, ""),
                crafted("crd names conflict", """
                        {apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition,
                         status: {conditions: [{type: NamesAccepted, status: 'False', reason: MultipleNamesNotAllowed}]}}""",
                        HealthState.FAILED, "MultipleNamesNotAllowed"),
                crafted("crd installing", """
                        {apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition,
                         status: {conditions: [{type: Established, status: 'False', reason: Installing}]}}""",
                        HealthState.IN_PROGRESS, "Installing"),
                crafted("apiservice available", """
                        {apiVersion: apiregistration.k8s.io/v1, kind: APIService, status: {conditions: [{type: Available, status: 'True'}]}}""",
                        HealthState.CURRENT, ""),
                crafted("apiservice missing endpoints", """
                        {apiVersion: apiregistration.k8s.io/v1, kind: APIService,
                         status: {conditions: [{type: Available, status: 'False', reason: MissingEndpoints}]}}""",
                        HealthState.IN_PROGRESS, "MissingEndpoints"),
                crafted("configmap", "{apiVersion: v1, kind: ConfigMap, data: {a: b}}", HealthState.CURRENT, ""),
                // hostile shapes: a state, never an exception; a lie in one field does not make a rollout Current
                crafted("replicas as text", """
                        {apiVersion: apps/v1, kind: Deployment, spec: {replicas: 1},
                         status: {replicas: '1', updatedReplicas: '1', readyReplicas: '1', availableReplicas: '1'}}""",
                        HealthState.IN_PROGRESS, "LessReplicas"),
                crafted("conditions not a list", "{apiVersion: example.io/v1, kind: Widget, status: {conditions: Stalled}}",
                        HealthState.CURRENT, ""),
                crafted("conditions of the wrong shape", """
                        {apiVersion: apps/v1, kind: Deployment, spec: {replicas: 0}, status: {conditions: [Stalled, 7, [], {type: 1}]}}""",
                        HealthState.IN_PROGRESS, "DeploymentNotAvailable"),
                crafted("status a string", "{apiVersion: batch/v1, kind: Job, status: done}", HealthState.IN_PROGRESS, "JobNotStarted"),
                crafted("generation as text is not compared", """
                        {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {generation: '2'}, status: {observedGeneration: 1, phase: Bound}}""",
                        HealthState.CURRENT, ""),
                crafted("a Stalled condition from an attacker-controlled custom object names only its own reason", """
                        {apiVersion: example.io/v1, kind: Widget, status: {conditions: [{type: Stalled, status: 'True', reason: "x\\ny", message: "<b>"}]}}""",
                        HealthState.FAILED, "x\ny"));
    }

    @ParameterizedTest(name = "{0} is {1} ({2})")
    @MethodSource("fixtures")
    void realLiveObjectsHaveKstatusHealth(String fixture, HealthState state, String reason) throws IOException {
        Health health = rules.assess(fixture(fixture));
        assertThat(health.state()).as(health.describe()).isEqualTo(state);
        assertThat(health.reason()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0} is {2} ({3})")
    @MethodSource("crafted")
    void craftedObjectsHaveKstatusHealth(String what, String yaml, HealthState state, String reason) {
        Health health = rules.assess(YamlDocuments.parseAll(yaml, what).get(0).tree());
        assertThat(health.state()).as(health.describe()).isEqualTo(state);
        assertThat(health.reason()).isEqualTo(reason);
    }

    @Test
    void failedDeploymentSaysItsConditionsReasonAndMessage() throws IOException {
        Health health = rules.assess(fixture("deployment-degraded.yaml"));

        assertThat(health.describe()).isEqualTo("ProgressDeadlineExceeded: ReplicaSet \"guestbook-ui-75dd4d49d5\" has timed out progressing.");
    }

    @Test
    void listItemsWithoutKindAreAssessedByTheKindOfTheirList() throws IOException {
        JsonNode item = ((tools.jackson.databind.node.ObjectNode) fixture("job-failed.yaml")).without(java.util.List.of("kind", "apiVersion"));

        assertThat(rules.assess("batch", "Job", item).state()).isEqualTo(HealthState.FAILED);
    }

    @Test
    void statesFollowGitopsEnginesHealthOrder() {
        assertThat(HealthState.FAILED.isWorseThan(HealthState.IN_PROGRESS)).isTrue();
        assertThat(HealthState.IN_PROGRESS.isWorseThan(HealthState.CURRENT)).isTrue();
        assertThat(HealthState.UNKNOWN.isWorseThan(HealthState.FAILED)).isTrue();
        assertThat(HealthState.worst(java.util.List.of(HealthState.CURRENT, HealthState.FAILED, HealthState.IN_PROGRESS)))
                .isEqualTo(HealthState.FAILED);
        assertThat(HealthState.worst(java.util.List.of())).isEqualTo(HealthState.CURRENT);
        assertThat(HealthState.ofKstatusName("InProgress")).isEqualTo(HealthState.IN_PROGRESS);
    }

    private static Arguments row(String fixture, HealthState state, String reason) {
        return Arguments.of(fixture, state, reason);
    }

    private static Arguments crafted(String what, String yaml, HealthState state, String reason) {
        return Arguments.of(what, yaml, state, reason);
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = HealthRulesTest.class.getResourceAsStream("/live-objects/health/" + name)) {
            return YamlDocuments.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8), name).get(0).tree();
        }
    }
}
