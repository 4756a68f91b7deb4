package io.driftwarden.cron.cli;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.ConfigException;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.EnvironmentCheck;
import io.driftwarden.jobs.chart.RemoteCharts;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.driftwarden.jobs.lifecycle.Runs;
import io.driftwarden.jobs.render.RenderException;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.source.SourceRevision;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code driftwarden validate}: the config, then every binding rendered from Git; no cluster is contacted. */
@Command(name = "validate", description = "Check the config and render every binding from Git, without a cluster.", mixinStandardHelpOptions = true)
public class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--environment", description = "Also check what runs need from this machine: kubeconfigs and their "
            + "contexts, the audit password's, the webhook secrets' and the notification targets' variables or files (off by default: CI "
            + "rarely has production's).")
    boolean environment;

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT",
            description = "text (default) or json: one object on stdout, the config's problems (exit 64) or each binding's result.")
    Format format = Format.text;

    @Override
    public Integer call() {
        DriftwardenConfig loaded;
        try {
            loaded = config.load();
            if (environment) {
                List<String> problems = EnvironmentCheck.daemonProblems(loaded);
                if (!problems.isEmpty()) {
                    throw new ConfigException(problems);
                }
            }
        } catch (ConfigException e) {
            if (format == Format.json) {
                ObjectNode json = JSON.createObjectNode().put("valid", false);
                e.problems().forEach(json.putArray("problems")::add);
                spec.commandLine().getOut().println(JSON.writeValueAsString(json));
                spec.commandLine().getOut().flush();
                return ExitCodes.USAGE;
            }
            throw e;
        }
        if (format == Format.json) {
            return json(loaded);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SourceReader sources = new SourceReader(Runs.defaultGitCache(), loaded.limits());
        Renderer renderer = new Renderer(loaded.kustomizeCommand(), loaded.limits())
                .withCharts(new RemoteCharts(Runs.defaultGitCache().resolve("charts")));
        int failed = 0;
        for (BindingSpec binding : loaded.bindings()) {
            String unpinned = unpinned(binding);
            if (unpinned != null) {
                err.println("warning: " + unpinned);
            }
            try {
                SourceRevision revision = sources.resolve(loaded.source(binding.source()));
                List<DesiredObject> objects = renderer.render(sources.at(revision), binding);
                out.printf("binding %s: %d objects at %s (%s)%n", binding.name(), objects.size(), revision.commit(),
                        Renderer.rendererOf(sources.at(revision), binding));
            } catch (RenderException e) {
                failed++;
                err.println("error: binding " + binding.name() + ": manifests do not render:");
                e.problems().forEach(problem -> err.println("  " + problem));
            } catch (RuntimeException e) {
                failed++;
                err.println("error: binding " + binding.name() + ": " + e.getMessage());
            }
        }
        // one verdict, at the end, the exit code's: the config parsing is not the whole check
        if (failed == 0) {
            out.println(loaded.file() + ": valid (" + loaded.bindings().size() + " bindings render)");
        } else {
            err.println(loaded.file() + ": not valid: " + failed + " of " + loaded.bindings().size() + " bindings do not render");
        }
        out.flush();
        err.flush();
        return failed == 0 ? 0 : 1;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The warning for a remote chart with no {@code helm.digest}: the version alone does not pin the archive (a repository
     * can republish it), and every run must then ask the repository which archive it is.
     */
    static String unpinned(BindingSpec binding) {
        var remote = binding.helm().remote();
        if (remote == null || remote.digest() != null) {
            return null;
        }
        return remote.origin() + ": binding '" + binding.name() + "': helm.digest is not set for " + remote.reference()
                + ": a repository can republish a version with other content, and each run must ask it which archive the version is; "
                + "pin it with helm.digest: sha256:… (" + (remote.oci() ? "the manifest's digest" : "the .tgz's SHA-256") + ")";
    }

    /** {@code --format json}: what the text says, as one object: {@code valid} (the config and every binding), {@code config}, {@code bindings}. */
    private int json(DriftwardenConfig loaded) {
        SourceReader sources = new SourceReader(Runs.defaultGitCache(), loaded.limits());
        Renderer renderer = new Renderer(loaded.kustomizeCommand(), loaded.limits())
                .withCharts(new RemoteCharts(Runs.defaultGitCache().resolve("charts")));
        ObjectNode json = JSON.createObjectNode().put("valid", true).put("config", loaded.file().toString());
        ArrayNode results = json.putArray("bindings");
        boolean failed = false;
        for (BindingSpec binding : loaded.bindings()) {
            ObjectNode result = results.addObject().put("name", binding.name());
            String unpinned = unpinned(binding);
            if (unpinned != null) {
                result.putArray("warnings").add(unpinned);
            }
            try {
                SourceRevision revision = sources.resolve(loaded.source(binding.source()));
                List<DesiredObject> objects = renderer.render(sources.at(revision), binding);
                result.put("ok", true).put("objects", objects.size()).put("commit", revision.commit())
                        .put("renderer", Renderer.rendererOf(sources.at(revision), binding));
            } catch (RenderException e) {
                failed = true;
                e.problems().forEach(result.put("ok", false).putArray("problems")::add);
            } catch (RuntimeException e) {
                failed = true;
                result.put("ok", false).putArray("problems").add(String.valueOf(e.getMessage()));
            }
        }
        json.put("valid", !failed);
        spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        spec.commandLine().getOut().flush();
        return failed ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
