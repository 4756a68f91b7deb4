package io.driftwarden.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.AuditSettings;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.sandbox.Sandbox;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerSmokeIT {

    @TempDir
    Path tmp;

    @Test
    void createsThenFindsNothingToDo() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0); GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            repo.write("app/ns.yaml", Manifests.namespace("shop"))
                .write("app/deploy.yaml", Manifests.deployment("api", 3, "nginx:1.25"))
                .write("app/svc.yaml", Manifests.service("api"))
                .write("app/cm.yaml", Manifests.configMap("settings", "color", "blue"))
                .write("app/secret.yaml", Manifests.secret("creds", "password", "hunter2-s3cret"))
                .commit("initial");
            Path kubeconfig = sandbox.writeKubeconfig(tmp.resolve("kubeconfig"));
            DriftwardenConfig config = ConfigLoader.parse("""
                    sources:
                      - name: repo
                        url: %s
                    clusters:
                      - name: sandbox
                        kubeconfig: %s
                    bindings:
                      - name: shop
                        source: repo
                        path: app
                        cluster: sandbox
                        namespace: shop
                        mode: enforce
                    """.formatted(repo.url(), kubeconfig), tmp.resolve("driftwarden.yaml"));
            try (AuditLog audit = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), Clock.systemUTC());
                 Clusters clusters = new Clusters()) {
                Reconciler reconciler = new Reconciler(config, new SourceReader(tmp.resolve("cache")), clusters, audit);
                BindingResult first = reconciler.reconcile(config.binding("shop"), new RunContext("r1", "manual"));
                System.out.println(first);
                assertThat(first.error()).isNull();
                assertThat(first.correctedCount()).isEqualTo(5);
                BindingResult second = new Reconciler(config, new SourceReader(tmp.resolve("cache")), clusters, audit)
                        .reconcile(config.binding("shop"), new RunContext("r2", "manual"));
                System.out.println(second.drifts());
                assertThat(second.driftCount()).isZero();
            }
        }
    }
}
