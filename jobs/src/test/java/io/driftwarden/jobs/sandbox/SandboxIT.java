package io.driftwarden.jobs.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verbs the sandbox adds to fabric8's CRUD mock. What it emulates is the part of server-side apply a drift
 * tool depends on; it does not emulate managedFields, conflicts, or list merging by key.
 */
class SandboxIT {

    @Test
    void serverSideApplyCreatesThenMergesAndDropsWhatTheManagerStoppedApplying() {
        try (Sandbox sandbox = Sandbox.start(0); KubernetesClient client = sandbox.client()) {
            var configMaps = client.configMaps().inNamespace("shop");

            // when a manager applies an object that does not exist
            configMaps.resource(configMap(Map.of("a", "1", "b", "2"), Map.of("team", "x", "tier", "web")))
                    .fieldManager("driftwarden").forceConflicts().serverSideApply();
            ConfigMap created = configMaps.withName("settings").get();

            // and someone else adds a key by hand
            configMaps.withName("settings").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"manual\":\"yes\"}}");

            // and the manager applies again without b and without the tier label
            configMaps.resource(configMap(Map.of("a", "10"), Map.of("team", "x")))
                    .fieldManager("driftwarden").forceConflicts().serverSideApply();
            ConfigMap merged = configMaps.withName("settings").get();

            // then the object was created, then merged: what the manager dropped is gone, the hand edit stays
            assertThat(created.getData()).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"));
            assertThat(merged.getData()).containsOnly(Map.entry("a", "10"), Map.entry("manual", "yes"));
            assertThat(merged.getMetadata().getLabels()).containsOnly(Map.entry("team", "x"));
            assertThat(merged.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        }
    }

    @Test
    void aMergePatchNullDeletesTheKey() {
        try (Sandbox sandbox = Sandbox.start(0); KubernetesClient client = sandbox.client()) {
            var configMaps = client.configMaps().inNamespace("shop");
            configMaps.resource(configMap(Map.of("a", "1", "b", "2"), Map.of())).create();

            configMaps.withName("settings").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"b\":null}}");

            assertThat(configMaps.withName("settings").get().getData()).containsOnly(Map.entry("a", "1"));
        }
    }

    @Test
    void foldsSecretStringDataIntoDataOnApplyAsTheApiServerDoes() {
        try (Sandbox sandbox = Sandbox.start(0); KubernetesClient client = sandbox.client()) {
            var secret = new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                    .addToStringData("password", "pw").build();

            client.secrets().inNamespace("shop").resource(secret).fieldManager("driftwarden").forceConflicts().serverSideApply();

            var stored = client.secrets().inNamespace("shop").withName("creds").get();
            assertThat(stored.getData()).containsOnly(Map.entry("password", "cHc="));
            assertThat(stored.getStringData()).isNullOrEmpty();
        }
    }

    private static ConfigMap configMap(Map<String, String> data, Map<String, String> labels) {
        return new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").withLabels(labels)
                .endMetadata().withData(data).build();
    }
}
