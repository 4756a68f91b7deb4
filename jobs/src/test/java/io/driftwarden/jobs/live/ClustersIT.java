package io.driftwarden.jobs.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwarden.config.ClusterSpec;
import io.driftwarden.jobs.resource.ResourceKey.ListGroup;
import io.driftwarden.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting to clusters through kubeconfig contexts, against the sandbox (which has no authentication to prove). */
class ClustersIT {

    @TempDir
    Path tmp;

    @Test
    void usesTheNamedContextRatherThanTheCurrentOne() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0); Clusters clusters = new Clusters()) {
            // given a kubeconfig whose current context points nowhere, and a context for the sandbox
            Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), sandbox.kubeconfig()
                    .replace("current-context: sandbox", "current-context: elsewhere")
                    .replace("contexts:\n", "contexts:\n- name: elsewhere\n  context:\n    cluster: nowhere\n    user: sandbox\n")
                    .replace("clusters:\n", "clusters:\n- name: nowhere\n  cluster:\n    server: http://127.0.0.1:1\n"));

            // when
            Clusters.Cluster cluster = clusters.connect(new ClusterSpec("dev", kubeconfig, "sandbox", false));

            // then it reaches the sandbox
            // (the namespaces every API server starts with)
            assertThat(new LiveReader().read(cluster, Set.of(new ListGroup("v1", "Namespace", ""))).keySet()).extracting(Object::toString)
                    .containsExactlyInAnyOrder("Namespace/default", "Namespace/kube-system", "Namespace/kube-public", "Namespace/kube-node-lease");
            assertThat(sandbox.requests()).hasSize(1);
        }
    }

    @Test
    void saysWhichKubeconfigIsMissing() {
        try (Clusters clusters = new Clusters()) {
            Path missing = tmp.resolve("no-kubeconfig");
            assertThatThrownBy(() -> clusters.connect(new ClusterSpec("prod", missing, null, false)))
                    .hasMessage("cluster prod: kubeconfig " + missing + " is not readable");
        }
    }
}
