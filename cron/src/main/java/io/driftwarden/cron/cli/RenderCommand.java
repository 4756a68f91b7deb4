package io.driftwarden.cron.cli;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.chart.RemoteCharts;
import io.driftwarden.jobs.diff.SecretMasker;
import io.driftwarden.jobs.lifecycle.Runs;
import io.driftwarden.jobs.render.RenderException;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.source.SourceRevision;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code driftwarden render}: the objects a run of one binding would apply — rendered from Git at the source's ref, with
 * the binding's labels and namespace — each with the {@code file:line} it came from. No cluster is contacted: a custom
 * kind no Go type names and no CRD in Git declares is taken as namespaced, as {@code validate} takes it.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Print the objects a run of the binding would apply (after its labels and namespace), each with its "
                + "origin (file:line): as YAML documents with the origin in a comment, or as JSON. Contacts no cluster. "
                + "Secret values are printed as " + SecretMasker.MASK + ".")
public class RenderCommand implements Callable<Integer> {

    /** What {@code render} prints. */
    public enum RenderFormat { yaml, json }

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--binding", required = true, paramLabel = "NAME", description = "The binding to render.")
    String bindingName;

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", description = "yaml (default) or json.")
    RenderFormat format = RenderFormat.yaml;

    @Override
    public Integer call() {
        DriftwardenConfig loaded = config.load();
        BindingSpec binding = loaded.bindings().stream().filter(b -> b.name().equals(bindingName)).findFirst()
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "no binding named " + bindingName + " in " + loaded.file()));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SourceReader sources = new SourceReader(Runs.defaultGitCache(), loaded.limits());
        SourceRevision revision;
        List<DesiredObject> objects;
        try {
            revision = sources.resolve(loaded.source(binding.source()));
            objects = new Renderer(loaded.kustomizeCommand(), loaded.limits())
                .withCharts(new RemoteCharts(Runs.defaultGitCache().resolve("charts"))).render(sources.at(revision), binding);
        } catch (RenderException e) {
            err.println("error: binding " + binding.name() + ": manifests do not render:");
            e.problems().forEach(problem -> err.println("  " + problem));
            err.flush();
            return 1;
        }
        if (format == RenderFormat.json) {
            printJson(out, binding, revision, objects);
        } else {
            printYaml(out, binding, revision, objects);
        }
        out.flush();
        return 0;
    }

    private static void printYaml(PrintWriter out, BindingSpec binding, SourceRevision revision, List<DesiredObject> objects) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setSplitLines(false);
        Yaml yaml = new Yaml(options);
        JsonMapper mapper = JsonMapper.builder().build();
        out.printf("# binding %s: %d objects at %s%n", binding.name(), objects.size(), revision.commit());
        for (DesiredObject object : objects) {
            out.println("---");
            out.println("# origin: " + object.origin());
            out.print(yaml.dump(mapper.convertValue(masked(object), Map.class)));
        }
    }

    private static void printJson(PrintWriter out, BindingSpec binding, SourceRevision revision, List<DesiredObject> objects) {
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode root = mapper.createObjectNode();
        root.put("binding", binding.name());
        root.put("commit", revision.commit());
        ArrayNode items = root.putArray("objects");
        for (DesiredObject object : objects) {
            ObjectNode item = items.addObject();
            item.put("origin", object.origin());
            item.set("object", masked(object));
        }
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    /** The manifest, with a Secret's {@code data}, {@code stringData} and annotation values replaced by the mask. */
    private static ObjectNode masked(DesiredObject object) {
        if (!SecretMasker.isSecret(object.key())) {
            return object.manifest();
        }
        ObjectNode copy = object.manifest().deepCopy();
        for (String field : List.of("/data", "/stringData", "/metadata/annotations")) {
            if (copy.at(field) instanceof ObjectNode values) {
                List.copyOf(values.propertyNames()).forEach(name -> values.put(name, SecretMasker.MASK));
            }
        }
        return copy;
    }
}
