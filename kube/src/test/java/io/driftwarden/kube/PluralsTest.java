package io.driftwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PluralsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"Deployment, deployments", "Ingress, ingresses", "NetworkPolicy, networkpolicies", "Endpoints, endpoints",
            "StorageClass, storageclasses", "CustomResourceDefinition, customresourcedefinitions", "ConfigMap, configmaps"})
    void followsKubernetesRuleAndItsOneException(String kind, String plural) {
        assertThat(Plurals.of(kind)).isEqualTo(plural);
    }
}
