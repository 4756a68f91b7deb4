package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As a new user would: {@code driftwarden sandbox} in one process, {@code run}/{@code plan}/{@code report} in
 * others, and a hand edit sent over plain HTTP as curl would send it. The sandbox cannot prove defaults,
 * admission or field ownership.
 */
class SandboxE2E {

    @TempDir
    Path tmp;

    @Test
    void runCreatesPlanSeesAHandEditRunRestoresItAndTheReportHoldsEachCorrection() throws Exception {
        Path sandboxDir = Files.createDirectories(tmp.resolve("sandbox"));
        Process sandbox = Cli.start(sandboxDir, "sandbox", "--port", "0", "--kubeconfig", tmp.resolve("kubeconfig").toString());
        try {
            String url = awaitUrl(sandboxDir.resolve(".out"));
            String commit = CliE2E.repo(tmp.resolve("repo"), "shop/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
                    "shop/deployment.yaml", """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: api
                    spec:
                      replicas: 3
                      selector: {matchLabels: {app: api}}
                      template:
                        metadata: {labels: {app: api}}
                        spec:
                          containers:
                            - {name: api, image: "nginx:1.27"}
                    """);
            Files.writeString(tmp.resolve("driftwarden.yaml"), """
                    sources: [{name: repo, url: "%s"}]
                    clusters: [{name: sandbox, kubeconfig: kubeconfig}]
                    bindings: [{name: shop, source: repo, path: shop, cluster: sandbox, namespace: shop, mode: enforce}]
                    """.formatted(tmp.resolve("repo").toUri()));

            Cli.Result created = Cli.run(tmp, "run");
            assertThat(created.exit()).as(created.all()).isZero();
            assertThat(created.out()).contains("Namespace/shop", "Deployment/shop/api", "CREATED");

            // a hand edit, as `curl -X PATCH -H 'Content-Type: application/merge-patch+json'` sends it
            HttpResponse<String> patched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url + "/apis/apps/v1/namespaces/shop/deployments/api"))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"spec\":{\"replicas\":7}}"))
                    .header("Content-Type", "application/merge-patch+json").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(patched.statusCode()).as(patched.body()).isBetween(200, 299);

            Cli.Result plan = Cli.run(tmp, "plan");
            assertThat(plan.exit()).as(plan.all()).isEqualTo(ExitCodes.DRIFT);
            assertThat(plan.out()).contains("-  replicas: 7", "+  replicas: 3");
            assertThat(Cli.run(tmp, "plan", "--diff", "paths").out()).contains("~ spec.replicas: 7 -> 3 (differs from Git, changed by ");

            Cli.Result restored = Cli.run(tmp, "run");
            assertThat(restored.exit()).as(restored.all()).isZero();
            assertThat(Cli.run(tmp, "plan").exit()).isZero();

            // a hand edit as kubectl edit sends it (field manager kubectl-edit): an env var and a label Git lacks
            String handEdit = "{\"metadata\":{\"labels\":{\"oncall\":\"me\"}},\"spec\":{\"template\":{\"spec\":{\"containers\":"
                    + "[{\"name\":\"api\",\"image\":\"nginx:1.27\",\"env\":[{\"name\":\"DEBUG\",\"value\":\"1\"}]}]}}}}";
            assertThat(mergePatch(url, "kubectl-edit", handEdit)).isBetween(200, 299);
            Cli.Result handPlan = Cli.run(tmp, "plan", "--diff", "paths");
            assertThat(handPlan.exit()).as(handPlan.all()).isEqualTo(ExitCodes.DRIFT);
            assertThat(handPlan.out()).contains("metadata.labels.oncall: \"me\" (added by kubectl-edit at ",
                    "spec.template.spec.containers[name=api].env: [{\"name\":\"DEBUG\",\"value\":\"1\"}] (added by kubectl-edit at "); // it added the whole list
            assertThat(Cli.run(tmp, "run").exit()).isZero();
            assertThat(Cli.run(tmp, "plan").exit()).isZero();

            // the same change by a controller is not drift
            assertThat(mergePatch(url, "my-controller", handEdit)).isBetween(200, 299);
            Cli.Result controllerPlan = Cli.run(tmp, "plan");
            assertThat(controllerPlan.exit()).as(controllerPlan.all()).isZero();

            Cli.Result report = Cli.run(tmp, "report", "--format", "csv", "--output", "report.csv");
            assertThat(report.exit()).as(report.all()).isZero();
            List<CSVRecord> rows = CliE2E.csv(Files.readString(tmp.resolve("report.csv")));
            assertThat(rows).filteredOn(r -> r.get("event").equals("CORRECTED"))
                    .extracting(r -> r.get("subject") + " " + r.get("action") + " " + r.get("changed_paths") + " " + r.get("commit"))
                    .containsExactly("Namespace/shop CREATED  " + commit, "Deployment/shop/api CREATED  " + commit,
                            "Deployment/shop/api CONFIGURED spec.replicas " + commit,
                            "Deployment/shop/api CONFIGURED metadata.labels.oncall\nspec.template.spec.containers[name=api].env " + commit);
        } finally {
            sandbox.destroy();
            sandbox.waitFor();
        }
    }

    private static String awaitUrl(Path out) {
        Pattern started = Pattern.compile("sandbox API server on (http://127\\.0\\.0\\.1:\\d+)");
        return Awaitility.await("the sandbox to start").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Matcher matcher = started.matcher(Files.exists(out) ? Files.readString(out) : "");
                    return matcher.find() ? matcher.group(1) : null;
                }, java.util.Objects::nonNull);
    }

    /** {@code curl -X PATCH -H 'Content-Type: application/merge-patch+json' URL?fieldManager=MANAGER -d BODY}. */
    private static int mergePatch(String url, String manager, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(url + "/apis/apps/v1/namespaces/shop/deployments/api?fieldManager=" + manager))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/merge-patch+json").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
