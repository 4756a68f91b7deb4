package io.driftwarden.jobs.render;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.HelmSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a Helm chart in process with Helm's own engine (helm-java, which ships Helm as a native library): the
 * binding's release name and namespace, its values files (relative to the chart's folder, never leaving the
 * repository) and then its inline values. Dependencies come only from the chart's {@code charts/} folder; nothing is
 * downloaded. Each object's origin is the template its {@code # Source:} comment names.
 */
final class HelmTemplate {

    static final String CHART_FILE = "Chart.yaml";

    /** The rendered YAML of the chart at {@code path} of the exported {@code tree}; {@code work} holds scratch files. */
    String template(Path tree, String path, BindingSpec binding, Path work) {
        Path chart = tree.resolve(path).normalize();
        HelmSettings settings = binding.helm();
        TemplateCommand template = new Helm(chart).template().withName(settings.releaseName()).withNamespace(binding.namespace());
        List<String> problems = new ArrayList<>();
        for (String valuesFile : settings.valuesFiles()) {
            Path file = chart.resolve(valuesFile).normalize();
            if (!file.startsWith(tree)) {
                problems.add(binding.origin() + ": helm.valuesFiles: '" + valuesFile + "' leaves the repository");
            } else if (!Files.isRegularFile(file)) {
                problems.add(binding.origin() + ": helm.valuesFiles: '" + valuesFile + "' is not a file in " + path + " at this commit");
            } else {
                template = template.withValuesFile(file);
            }
        }
        if (!problems.isEmpty()) {
            throw new RenderException(problems);
        }
        try {
            if (!settings.values().isEmpty()) {
                // JSON is YAML: the inline values keep their types exactly
                Path inline = Files.writeString(work.resolve("inline-values.yaml"), JsonMapper.builder().build().writeValueAsString(settings.values()));
                template = template.withValuesFile(inline);
            }
            return template.call();
        } catch (IOException e) {
            throw new RenderException(List.of(chartFile(path) + ": cannot write the inline values: " + e.getMessage()));
        } catch (RuntimeException e) {
            throw new RenderException(List.of(chartFile(path) + ": helm template failed: " + String.valueOf(e.getMessage()).strip()));
        }
    }

    /**
     * The repository path of each rendered document's template, by the output line where its {@code # Source:}
     * comment stands ({@code web/templates/deployment.yaml} → {@code PATH/templates/deployment.yaml}).
     */
    static TreeMap<Integer, String> sources(String rendered, String path) {
        TreeMap<Integer, String> sources = new TreeMap<>();
        String[] lines = rendered.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("# Source: ")) {
                String source = lines[i].substring("# Source: ".length()).strip();
                String inChart = source.contains("/") ? source.substring(source.indexOf('/') + 1) : source;
                sources.put(i + 1, (path.isEmpty() ? "" : path + "/") + inChart);
            }
        }
        return sources;
    }

    /** The origin of the document starting at {@code line}: its template, or the chart when none is named. */
    static String origin(Map.Entry<Integer, String> source, String path) {
        return source == null ? chartFile(path) : source.getValue();
    }

    private static String chartFile(String path) {
        return (path.isEmpty() ? "" : path + "/") + CHART_FILE;
    }
}
