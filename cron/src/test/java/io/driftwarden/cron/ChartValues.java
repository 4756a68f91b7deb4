package io.driftwarden.cron;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.driftwarden.config.yaml.YamlDocument;
import io.driftwarden.config.yaml.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** deploy/chart rendered by Helm's own engine in process (helm-java), with values files written from maps. */
final class ChartValues {

    /** The chart, from the cron module's folder (where Maven runs the tests). */
    static final Path CHART = Path.of("..", "deploy", "chart");
    static final String RELEASE = "dw";
    static final String NAMESPACE = "driftwarden";

    private ChartValues() {
    }

    /** A values file holding {@code values} (JSON is YAML: types kept exactly). */
    static Path write(Path dir, String name, Map<String, ?> values) throws Exception {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name + ".yaml"), JsonMapper.builder().build().writeValueAsString(values));
    }

    /** {@code helm template dw deploy/chart -n driftwarden -f each of valuesFiles}: the YAML, or Helm's error as an exception. */
    static String template(Path... valuesFiles) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path file : valuesFiles) {
            template = template.withValuesFile(file);
        }
        return template.call();
    }

    static List<JsonNode> objects(String rendered) {
        return YamlDocuments.parseAll(rendered, "helm-template.yaml").stream().map(YamlDocument::tree).toList();
    }

    /** The one object of {@code kind} (and name, when given). */
    static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.path("kind").asString().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }
}
