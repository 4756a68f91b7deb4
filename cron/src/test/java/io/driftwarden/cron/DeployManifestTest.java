package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.yaml.YamlDocument;
import io.driftwarden.config.yaml.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The CronJob we document must carry a config driftwarden accepts and run the command the README says. */
class DeployManifestTest {

    private final List<YamlDocument> documents = read();

    @Test
    void shipsAConfigThatValidates() {
        JsonNode configMap = document("ConfigMap");

        DriftwardenConfig config = ConfigLoader.parse(configMap.get("data").get("driftwarden.yaml").asString(),
                Path.of("cron/deploy/cronjob.yaml#driftwarden.yaml"));

        assertThat(config.clusters()).singleElement().satisfies(c -> assertThat(c.inCluster()).isTrue());
        assertThat(config.audit().url()).startsWith("jdbc:postgresql:");
    }

    @Test
    void runsOneReconcileAtATimeAndRecordsTheCronJobTrigger() {
        JsonNode cronJob = document("CronJob");

        assertThat(cronJob.at("/spec/concurrencyPolicy").asString()).isEqualTo("Forbid");
        assertThat(cronJob.at("/spec/jobTemplate/spec/template/spec/containers/0/args").toString())
                .isEqualTo("[\"run\",\"--config\",\"/config/driftwarden.yaml\",\"--trigger\",\"cronjob\"]");
    }

    private JsonNode document(String kind) {
        return documents.stream().map(YamlDocument::tree).filter(d -> d.path("kind").asString("").equals(kind))
                .findFirst().orElseThrow();
    }

    private static List<YamlDocument> read() {
        try {
            return YamlDocuments.parseAll(Files.readString(Path.of("deploy", "cronjob.yaml")), "cronjob.yaml");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
