package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adopting objects made by hand, with the real kubectl and the CLI in process: a Deployment and a CronJob made with
 * {@code kubectl create}, a Service with client-side {@code kubectl apply}, labelled for a binding whose Git holds the
 * same manifests (client-side apply's {@code last-applied-configuration} annotation is kubectl's record, never compared).
 * The defaults the server gave them are owned by kubectl's managers, yet {@code plan} finds no drift (each
 * removal's dry-run shows the server puts them back); a value changed with {@code kubectl edit} is drift, {@code run}
 * corrects only it, and {@code plan} is clean again. What it cannot prove: that a real API server defaults these kinds
 * the same way (the sandbox applies Kubernetes' SetDefaults_ functions as read, for the kinds it names), nor its admission
 * or controllers (no ReplicaSets, no Jobs run).
 */
class AdoptionStoryIT {

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    ports: [{containerPort: 80}]
                    readinessProbe: {httpGet: {port: 80}}
            """;
    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            """;
    private static final String TICK = """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: tick
            spec:
              schedule: "*/5 * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers:
                      - name: tick
                        image: busybox:1.36
            """;

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage();

    private Path kubeconfig;

    @BeforeEach
    void writeKubeconfig() throws Exception {
        kubeconfig = stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"));
    }

    @Test
    void objectsMadeWithKubectlAreAdoptedWithoutDriftAndOnlyAHandEditIsCorrected() throws Exception {
        // given objects made by hand, then labelled for the binding (how driftwarden finds what it manages)
        kubectl("create", "namespace", "shop");
        kubectl("-n", "shop", "create", "-f", Files.writeString(tmp.resolve("web.yaml"), WEB).toString());
        kubectl("-n", "shop", "apply", "-f", Files.writeString(tmp.resolve("service.yaml"), SERVICE).toString());
        kubectl("-n", "shop", "create", "-f", Files.writeString(tmp.resolve("tick.yaml"), TICK).toString());
        kubectl("-n", "shop", "patch", "cronjob/tick", "-p", "{\"spec\":{\"suspend\":true}}");
        kubectl("-n", "shop", "patch", "cronjob/tick", "-p", "{\"spec\":{\"suspend\":false}}");  // resumed by hand
        kubectl("-n", "shop", "label", "deployment/web", "service/web", "cronjob/tick",
                "app.kubernetes.io/managed-by=driftwarden", "driftwarden.io/binding=shop");
        assertThat(kubectl("-n", "shop", "get", "deployment/web", "-o", "jsonpath={.metadata.managedFields[0].manager} "
                + "{.spec.template.spec.dnsPolicy} {.spec.revisionHistoryLimit}")).isEqualTo("kubectl-create ClusterFirst 10");
        // and the same manifests in Git; client-side apply's own record of what it applied (an annotation kubectl keeps,
        // not a default: removing it changes the object, so it is drift under rule 2) is ignored by the adopting binding
        CliE2E.repo(tmp.resolve("repo"), "shop/web.yaml", WEB, "shop/service.yaml", SERVICE, "shop/tick.yaml", TICK);
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings:
                  - name: shop
                    source: repo
                    path: shop
                    cluster: sandbox
                    namespace: shop
                    mode: enforce
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), kubeconfig));

        // when bound: no drift — the defaults kubectl's managers own are what the server puts back
        InProcess.Outcome adopted = InProcess.cli("plan", "--diff", "paths", "--config", config.toString());
        assertThat(adopted.exit()).as(adopted.all()).isZero();

        // a value changed with kubectl edit is drift
        String serviceVersion = kubectl("-n", "shop", "get", "service/web", "-o", "jsonpath={.metadata.resourceVersion}");
        String tickVersion = kubectl("-n", "shop", "get", "cronjob/tick", "-o", "jsonpath={.metadata.resourceVersion}");
        Path editor = Files.writeString(tmp.resolve("editor.sh"), "#!/bin/sh\nsed -i 's/image: nginx:1.27/image: nginx:hacked/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        kubectl(Map.of("EDITOR", editor.toString()), "-n", "shop", "edit", "deployment/web");
        InProcess.Outcome plan = InProcess.cli("plan", "--diff", "paths", "--config", config.toString());
        assertThat(plan.exit()).as(plan.all()).isEqualTo(ExitCodes.DRIFT);
        assertThat(plan.out()).contains("image: \"nginx:hacked\" -> \"nginx:1.27\" (differs from Git, changed by ")
                .doesNotContain("dnsPolicy", "terminationMessagePath", "revisionHistoryLimit", "suspend", "sessionAffinity");

        // run corrects only that, and plan is clean again
        InProcess.Outcome run = InProcess.cli("run", "--config", config.toString());
        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(kubectl("-n", "shop", "get", "deployment/web", "-o", "jsonpath={.spec.template.spec.containers[0].image} "
                + "{.spec.template.spec.dnsPolicy}")).isEqualTo("nginx:1.27 ClusterFirst");
        assertThat(kubectl("-n", "shop", "get", "service/web", "-o", "jsonpath={.metadata.resourceVersion}")).isEqualTo(serviceVersion);
        assertThat(kubectl("-n", "shop", "get", "cronjob/tick", "-o", "jsonpath={.metadata.resourceVersion}")).isEqualTo(tickVersion);
        InProcess.Outcome clean = InProcess.cli("plan", "--config", config.toString());
        assertThat(clean.exit()).as(clean.all()).isZero();
    }

    private String kubectl(String... args) throws Exception {
        return kubectl(Map.of(), args);
    }

    /** The real kubectl (on PATH; the test fails, not skips, without it), exit 0 required; returns its output. */
    private String kubectl(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir",
                tmp.resolve("kube-cache").toString()));
        command.addAll(List.of(args));
        Path output = tmp.resolve("kubectl.out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (java.io.IOException e) {
            throw new AssertionError("kubectl is not on PATH: this story drives the sandbox with the real kubectl (1.32 on our "
                    + "machines); install it and run the tests again", e);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args) + " finished").isTrue();
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("kubectl " + String.join(" ", args) + "\n" + printed).isZero();
        return printed;
    }
}
