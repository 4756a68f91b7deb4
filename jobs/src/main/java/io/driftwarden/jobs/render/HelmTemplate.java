package io.driftwarden.jobs.render;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.HelmSettings;
import io.driftwarden.config.yaml.YamlDocuments;
import io.driftwarden.config.yaml.YamlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a Helm chart in process with Helm's own engine (helm-java, which ships Helm as a native library), on the
 * chart's folder written out alone (so {@code .Files}, sub-charts and values files see nothing else of the repository):
 * the binding's release name and namespace, its values files (relative to the chart's folder, never leaving it) and
 * then its inline values. Dependencies come only from the chart's {@code charts/} folder: nothing is downloaded or built
 * (helm-java's {@code dependencyUpdate()} is never called), and a {@code file://} dependency that leaves the chart is
 * refused at its {@code Chart.yaml} line. A render that outlives its timeout fails the binding. Each object's origin is
 * the template its {@code # Source:} comment names.
 */
final class HelmTemplate {

    static final String CHART_FILE = "Chart.yaml";
    /** Renders that outlived their timeout and still run; past this many no new render starts. */
    static final int MAX_ABANDONED = 2;
    private static final AtomicInteger ABANDONED = new AtomicInteger();
    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int GIVEN_UP = 2;

    private final Duration timeout;

    HelmTemplate(Duration timeout) {
        this.timeout = timeout;
    }

    /** How many renders outlived their timeout and still run in this process. */
    static int abandoned() {
        return ABANDONED.get();
    }

    /**
     * The rendered YAML of the chart written out to {@code chart} (the binding's {@code path} of the repository, used
     * in messages); {@code work} holds scratch files.
     */
    String template(Path chart, String path, BindingSpec binding, Path work) {
        List<String> problems = new ArrayList<>(localDependenciesLeavingTheChart(chart, path));
        return template(chart, chart, "the chart's folder " + display(path), chartFile(path), problems, binding, work);
    }

    /**
     * The rendered YAML of the remote chart unpacked to {@code chart} ({@code reference} names it in messages), with the
     * binding's values files read from {@code valuesRoot}, the binding's {@code path} written out from Git.
     */
    String templateRemote(Path chart, String reference, Path valuesRoot, String path, BindingSpec binding, Path work) {
        List<String> problems = new ArrayList<>(localDependenciesLeavingTheChart(chart, "").stream()
                .map(problem -> reference + ": " + problem).toList());
        return template(chart, valuesRoot, "the binding's path " + display(path), reference, problems, binding, work);
    }

    private String template(Path chart, Path valuesRoot, String valuesPlace, String chartLabel, List<String> problems, BindingSpec binding,
                            Path work) {
        HelmSettings settings = binding.helm();
        TemplateCommand template = new Helm(chart).template().withName(settings.releaseName()).withNamespace(binding.namespace());
        for (String valuesFile : settings.valuesFiles()) {
            Path file = valuesRoot.resolve(valuesFile).normalize();
            if (!file.startsWith(valuesRoot)) {
                problems.add(binding.origin() + ": helm.valuesFiles: '" + valuesFile + "' leaves " + valuesPlace);
            } else if (!Files.isRegularFile(file)) {
                problems.add(binding.origin() + ": helm.valuesFiles: '" + valuesFile + "' is not a file in " + valuesPlace + " at this commit");
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
        } catch (IOException e) {
            throw new RenderException(List.of(chartLabel + ": cannot write the inline values: " + e.getMessage()));
        }
        return within(template, chartLabel);
    }

    /**
     * Runs Helm on a thread of its own and waits at most the timeout. What a timeout cannot do: Helm runs as native
     * code in this process, and a native call cannot be interrupted or killed from Java — the thread goes on (a daemon,
     * so it never holds the process open) using CPU and memory until Helm returns, reading a folder that is deleted
     * under it. So that a chart that never finishes cannot pile such threads up run after run, no render starts while
     * {@value #MAX_ABANDONED} abandoned ones still run; only a restart of the process frees them for certain.
     */
    private String within(TemplateCommand template, String chartFile) {
        if (ABANDONED.get() >= MAX_ABANDONED) {
            throw new RenderException(List.of(chartFile + ": not rendered: " + ABANDONED.get() + " earlier Helm renders outlived their timeout "
                    + "and still run in this process (native code cannot be stopped); restart driftwarden to free them"));
        }
        AtomicInteger state = new AtomicInteger(RUNNING);
        FutureTask<String> task = new FutureTask<>(() -> {
            try {
                return template.call();
            } finally {
                if (!state.compareAndSet(RUNNING, FINISHED)) {
                    ABANDONED.decrementAndGet(); // it was given up on: it no longer runs
                }
            }
        });
        Thread thread = new Thread(task, "helm-template");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (state.compareAndSet(RUNNING, GIVEN_UP)) {
                ABANDONED.incrementAndGet();
            }
            throw new RenderException(List.of(chartFile + ": helm template did not finish within "
                    + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms") + "; the chart "
                    + "was not rendered and nothing of it is applied"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException(List.of(chartFile + ": interrupted while helm template ran"));
        } catch (ExecutionException e) {
            throw new RenderException(List.of(chartFile + ": helm template failed: " + String.valueOf(e.getCause().getMessage()).strip()));
        }
    }

    /**
     * Each {@code file://} dependency of a {@code Chart.yaml} in the exported chart (its own and its sub-charts') whose
     * folder leaves the chart, as {@code Chart.yaml:line: …}. Helm does not read them here (no dependency update), but a
     * chart that names one expects a file outside its folder, which no render may see.
     */
    static List<String> localDependenciesLeavingTheChart(Path chart, String path) {
        List<String> problems = new ArrayList<>();
        List<Path> chartFiles;
        try (Stream<Path> files = Files.walk(chart)) {
            chartFiles = files.filter(f -> f.getFileName().toString().equals(CHART_FILE) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .sorted().toList();
        } catch (IOException e) {
            throw new RenderException(List.of(chartFile(path) + ": cannot read the chart: " + e.getMessage()));
        }
        for (Path file : chartFiles) {
            String repositoryPath = (path.isEmpty() ? "" : path + "/") + chart.relativize(file).toString().replace('\\', '/');
            Node root;
            try {
                root = YamlDocuments.composeOne(Files.readString(file), repositoryPath);
            } catch (YamlException e) {
                problems.add(e.getMessage());
                continue;
            } catch (IOException e) {
                problems.add(repositoryPath + ": cannot be read: " + e.getMessage());
                continue;
            }
            for (ScalarNode repository : dependencyRepositories(root)) {
                String url = repository.getValue();
                if (!url.startsWith("file://")) {
                    continue; // remote repositories are never fetched: without charts/ the render fails
                }
                Path folder = file.getParent().resolve(url.substring("file://".length())).normalize();
                if (!folder.startsWith(chart)) {
                    problems.add(repositoryPath + ":" + YamlDocuments.line(repository) + ": dependency repository '" + url
                            + "' leaves the chart's folder " + display(path) + " (vendor the dependency into its charts/ folder)");
                }
            }
        }
        return problems;
    }

    /** The {@code repository} values of the {@code dependencies} of a Chart.yaml's root node. */
    private static List<ScalarNode> dependencyRepositories(Node root) {
        List<ScalarNode> repositories = new ArrayList<>();
        if (!(root instanceof MappingNode chart)) {
            return repositories;
        }
        for (NodeTuple entry : chart.getValue()) {
            if (entry.getKeyNode() instanceof ScalarNode key && key.getValue().equals("dependencies")
                    && entry.getValueNode() instanceof SequenceNode dependencies) {
                for (Node dependency : dependencies.getValue()) {
                    if (dependency instanceof MappingNode fields) {
                        for (NodeTuple field : fields.getValue()) {
                            if (field.getKeyNode() instanceof ScalarNode name && name.getValue().equals("repository")
                                    && field.getValueNode() instanceof ScalarNode value) {
                                repositories.add(value);
                            }
                        }
                    }
                }
            }
        }
        return repositories;
    }

    private static String display(String path) {
        return path.isEmpty() ? "(the repository's root)" : path;
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
