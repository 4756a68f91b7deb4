package io.driftwarden.jobs.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.DriftManagers;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.kube.Schemas;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Who changed each drifted path and when, read from the live object's managedFields. */
class AttributionTest {

    private final Differ differ = new Differ(Schemas.builtin(), "driftwarden");

    private static final String GIT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},
             "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""";

    private static final String LIVE = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop","managedFields":[
               {"manager":"driftwarden","operation":"Apply","time":"2026-12-01T02:00:07Z","fieldsV1":{"f:spec":{"f:replicas":{},
                  "f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:name":{},"f:image":{}}}}}}}},
               {"manager":"kubectl-edit","operation":"Update","time":"2026-12-03T02:14:59Z","fieldsV1":{"f:spec":{"f:replicas":{},
                  "f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{"f:env":{}}}}}}}},
               {"manager":"kubectl-scale","operation":"Update","subresource":"scale","time":"2026-12-02T09:30:00Z",
                  "fieldsV1":{"f:spec":{"f:replicas":{}}}}]},
             "spec":{"replicas":5,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26",
                  "env":[{"name":"DEBUG","value":"1"}]}]}}}}""";

    @Test
    void namesTheManagerAndTimeOfEachDriftedPath() {
        // given replicas owned by two managers (kubectl-edit the later), an image only driftwarden owns and an env list
        // kubectl-edit added
        Drift drift = differ.diff(desired(GIT), Serialization.jsonMapper().readTree(LIVE), Normalizer.noop(), DriftManagers.KUBECTL);

        // then each path names the latest owner of the path itself, or of its nearest owned ancestor
        assertThat(drift.details()).extracting(d -> d.changedBy().row(d.path().render())).containsExactlyInAnyOrder(
                "spec.replicas\tkubectl-edit\t2026-12-03T02:14:59Z",
                "spec.template.spec.containers[name=web].image\tdriftwarden\t2026-12-01T02:00:07Z",
                "spec.template.spec.containers[name=web].env\tkubectl-edit\t2026-12-03T02:14:59Z");
        assertThat(drift.maskedDiff()).contains(
                "~ spec.replicas: 5 -> 2 (differs from Git, changed by kubectl-edit at 2026-12-03T02:14Z)",
                "(added by kubectl-edit at 2026-12-03T02:14Z)");
    }

    @Test
    void saysUnknownWhereTheServerKeepsNoManagedFields() {
        ObjectNode live = (ObjectNode) Serialization.jsonMapper().readTree(LIVE);
        ((ObjectNode) live.get("metadata")).remove("managedFields");

        Drift drift = differ.diff(desired(GIT), live, Normalizer.noop(), DriftManagers.KUBECTL);

        assertThat(drift.details()).extracting(d -> d.changedBy().row(d.path().render())).containsExactlyInAnyOrder(
                "spec.replicas\tunknown\tunknown", "spec.template.spec.containers[name=web].image\tunknown\tunknown");
        assertThat(drift.maskedDiff()).contains("(differs from Git, changed by unknown)");
    }

    @Test
    void showsTheTimeToTheMinuteInUtc() {
        assertThat(new ChangedBy("kubectl-edit", Instant.parse("2026-12-03T02:14:59.900Z")).text())
                .isEqualTo("kubectl-edit at 2026-12-03T02:14Z");
        assertThat(new ChangedBy("kubectl-edit", null).text()).isEqualTo("kubectl-edit at an unknown time");
        assertThat(ChangedBy.UNKNOWN.text()).isEqualTo("unknown");
    }

    private static DesiredObject desired(String json) {
        ObjectNode manifest = (ObjectNode) Serialization.jsonMapper().readTree(json);
        return new DesiredObject(ResourceKey.of("apps/v1", "Deployment", "shop", "web"), manifest, "web.yaml:1");
    }
}
