package io.driftwarden.jobs.render;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.InputLimits;
import io.driftwarden.config.yaml.YamlDocument;
import io.driftwarden.config.yaml.YamlDocuments;
import io.driftwarden.config.yaml.YamlException;
import io.driftwarden.jobs.chart.ChartArchive;
import io.driftwarden.jobs.chart.RemoteCharts;
import io.driftwarden.jobs.chart.ResolvedChart;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.kube.KindScopes;
import io.driftwarden.kube.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a binding's path into desired objects. A path holding a kustomization is rendered by kustomize
 * ({@link KustomizeBuild}), one holding {@code Chart.yaml} by Helm ({@link HelmTemplate}), anything else is read as
 * plain manifest files; a binding whose {@code helm.repository} names a remote chart renders that chart
 * ({@link RemoteCharts}) with values files from its path. Namespaced objects without a namespace get the binding's, and every object gets
 * driftwarden's two labels so it can be found again.
 */
public final class Renderer {

    /** The label every applied object carries. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The label naming the binding that applied an object. */
    public static final String BINDING_LABEL = "driftwarden.io/binding";
    /** The end of the origin of the Namespace {@code createNamespace: true} adds (no manifest declares it). */
    private static final String CREATE_NAMESPACE = " (createNamespace)";
    private static final Duration KUSTOMIZE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HELM_TIMEOUT = Duration.ofSeconds(60);

    private final KustomizeBuild kustomize;
    private final InputLimits limits;
    private final ParsedCache parsedFiles;
    private final HelmTemplate helm = new HelmTemplate(HELM_TIMEOUT);
    private final RemoteCharts charts;

    /** A renderer whose kustomize is {@code kustomizeCommand} (empty: {@code kustomize build} or {@code kubectl kustomize}). */
    public Renderer(List<String> kustomizeCommand) {
        this(kustomizeCommand, InputLimits.DEFAULTS);
    }

    /** A renderer whose kustomize is {@code kustomizeCommand} and whose YAML parsing keeps to {@code limits}. */
    public Renderer(List<String> kustomizeCommand, InputLimits limits) {
        this(kustomizeCommand, ParsedCache.none(limits));
    }

    /**
     * A renderer that reads plain manifest files through {@code parsedFiles}, within its limits. The output of kustomize and Helm is
     * always parsed: it depends on more than the tree (remote bases, chart dependencies, the tools' versions).
     */
    public Renderer(List<String> kustomizeCommand, ParsedCache parsedFiles) {
        this(new KustomizeBuild(kustomizeCommand, KUSTOMIZE_TIMEOUT), parsedFiles, null);
    }

    private Renderer(KustomizeBuild kustomize, ParsedCache parsedFiles, RemoteCharts charts) {
        this.limits = parsedFiles.limits();
        this.parsedFiles = parsedFiles;
        this.kustomize = kustomize;
        this.charts = charts;
    }

    /** This renderer, getting the remote charts of bindings it renders on its own from {@code remoteCharts}. */
    public Renderer withCharts(RemoteCharts remoteCharts) {
        return new Renderer(kustomize, parsedFiles, remoteCharts);
    }

    /** What renders the binding: {@code helm (remote)} for a remote chart, else what its path holds ({@link #rendererOf(ManifestSource, String)}). */
    public static String rendererOf(ManifestSource source, BindingSpec binding) {
        return binding.helm().remote() != null ? "helm (remote)" : rendererOf(source, binding.path());
    }

    /** What renders the binding's path: {@code kustomize}, {@code helm} or {@code plain}. */
    public static String rendererOf(ManifestSource source, String path) {
        Set<String> names = source.fileNames(path);
        if (KustomizeBuild.FILE_NAMES.stream().anyMatch(names::contains)) {
            return "kustomize";
        }
        return names.contains(HelmTemplate.CHART_FILE) ? "helm" : "plain";
    }

    /** Renders the binding's path at the source's commit, with no cluster to ask for the scope of kinds it does not know. */
    public List<DesiredObject> render(ManifestSource source, BindingSpec binding) {
        return render(source, binding, KindScopes.none());
    }

    /**
     * Renders the binding's path at the source's commit. A kind's scope (whether its objects get the binding's namespace)
     * comes from Kubernetes' Go types, then {@code cluster} (its discovery), then the CRDs among the rendered objects.
     */
    public List<DesiredObject> render(ManifestSource source, BindingSpec binding, KindScopes cluster) {
        return render(source, binding, cluster, null);
    }

    /**
     * Renders the binding at the source's commit; a binding with a remote chart renders {@code chart} (resolved by the
     * caller, which records its digest), or, when null, the chart this renderer's {@link RemoteCharts} resolves.
     */
    public List<DesiredObject> render(ManifestSource source, BindingSpec binding, KindScopes cluster, ResolvedChart remoteChart) {
        String path = binding.path();
        if (binding.helm().remote() != null) {
            ResolvedChart resolved = remoteChart;
            if (resolved == null) {
                if (charts == null) {
                    throw new RenderException(List.of(binding.origin() + ": helm.repository names a remote chart and this command has no "
                            + "chart cache to fetch it into"));
                }
                resolved = charts.resolve(binding.helm().remote());
            }
            return remote(source, binding, cluster, resolved);
        }
        switch (rendererOf(source, path)) {
            case "kustomize":
                return inExportedTree(source, (tree, work) -> {
                    String output = kustomize.build(tree, path, work);
                    List<Parsed> parsed = new ArrayList<>();
                    for (YamlDocument document : parse(output, "kustomize build " + (path.isEmpty() ? "." : path))) {
                        parsed.add(new Parsed(document, kustomizeOrigin(document, path)));
                    }
                    return objects(parsed, binding, new ArrayList<>(), cluster);
                });
            case "helm":
                // Helm sees the chart's folder only: .Files, sub-charts and values files cannot reach the rest of the repository
                return inExportedTree(source, path, (chart, work) -> {
                    String output = helm.template(chart, path, binding, work);
                    TreeMap<Integer, String> sources = HelmTemplate.sources(output, path);
                    List<Parsed> parsed = new ArrayList<>();
                    for (YamlDocument document : parse(output, "helm template " + (path.isEmpty() ? "." : path))) {
                        parsed.add(new Parsed(document, HelmTemplate.origin(sources.floorEntry(document.line()), path)));
                    }
                    return objects(parsed, binding, new ArrayList<>(), cluster);
                });
            default:
                return renderFiles(source.manifestFiles(path), binding, cluster);
        }
    }

    /**
     * Renders the remote chart: unpacked from the cache into a temp folder by {@link ChartArchive}'s rules, with the
     * binding's values files from its path written out alone (nothing is written out when it names none). Each object's
     * origin is the chart's reference and the template that made it.
     */
    private List<DesiredObject> remote(ManifestSource source, BindingSpec binding, KindScopes cluster, ResolvedChart chart) {
        TreeWork render = (values, work) -> {
            ChartArchive.Limits archiveLimits = charts == null ? ChartArchive.Limits.DEFAULTS : charts.limits();
            Path unpacked = ChartArchive.extract(Files.readAllBytes(chart.archive()), work.resolve("chart"), archiveLimits, chart.reference());
            if (charts != null) {
                charts.vendorDependencies(unpacked, binding.helm().remote(), chart.reference());
            }
            String output = helm.templateRemote(unpacked, chart.reference(), values, binding.path(), binding, work);
            TreeMap<Integer, String> sources = HelmTemplate.sources(output, "");
            List<Parsed> parsed = new ArrayList<>();
            for (YamlDocument document : parse(output, "helm template " + chart.reference())) {
                Map.Entry<Integer, String> template = sources.floorEntry(document.line());
                parsed.add(new Parsed(document, chart.reference() + (template == null ? "" : " " + template.getValue())));
            }
            return objects(parsed, binding, new ArrayList<>(), cluster);
        };
        if (binding.helm().valuesFiles().isEmpty()) {
            Path work = null;
            try {
                work = Files.createTempDirectory("driftwarden-render-");
                Path values = Files.createDirectory(work.resolve("tree"));
                return render.render(values, work);
            } catch (IOException e) {
                throw new RenderException(List.of(chart.reference() + ": cannot prepare the chart for rendering: " + e.getMessage()));
            } finally {
                deleteQuietly(work);
            }
        }
        return inExportedTree(source, binding.path(), render);
    }

    /** Renders plain manifest {@code files} (repository path → content, in order) for {@code binding}. */
    public List<DesiredObject> render(Map<String, String> files, BindingSpec binding) {
        return render(files, binding, KindScopes.none());
    }

    /** Renders plain manifest {@code files} for {@code binding}, asking {@code cluster} the scope of kinds no data names. */
    public List<DesiredObject> render(Map<String, String> files, BindingSpec binding, KindScopes cluster) {
        Map<String, ManifestFile> manifests = new java.util.LinkedHashMap<>();
        files.forEach((file, content) -> manifests.put(file, ManifestFile.of(content)));
        return renderFiles(manifests, binding, cluster);
    }

    /** Renders plain manifest {@code files} (repository path → file, in order), each read only when not parsed before. */
    private List<DesiredObject> renderFiles(Map<String, ManifestFile> files, BindingSpec binding, KindScopes cluster) {
        List<String> problems = new ArrayList<>();
        List<Parsed> parsed = new ArrayList<>();
        for (Map.Entry<String, ManifestFile> file : files.entrySet()) {
            if (KustomizeBuild.FILE_NAMES.contains(file.getKey().substring(file.getKey().lastIndexOf('/') + 1))) {
                problems.add(file.getKey() + ":1: a kustomization below the binding's path is not rendered; point the "
                        + "binding's path at its folder");
                continue;
            }
            try {
                parsedFiles.parse(file.getValue(), file.getKey()).forEach(d -> parsed.add(new Parsed(d, d.origin())));
            } catch (YamlException e) {
                problems.add(e.getMessage());
            }
        }
        return objects(parsed, binding, problems, cluster);
    }

    /** A parsed document and where it came from. */
    private record Parsed(YamlDocument document, String origin) {
    }

    /** Work done on an exported copy of the repository's tree. */
    private interface TreeWork {
        List<DesiredObject> render(Path tree, Path work) throws IOException;
    }

    private static List<DesiredObject> inExportedTree(ManifestSource source, TreeWork render) {
        return inExportedTree(source, "", render);
    }

    /**
     * Renders on the files under {@code path} (all of the repository when empty) written out to a temp folder, which
     * holds no symbolic link whose real target leaves it ({@link ManifestSource#exportTo}).
     */
    private static List<DesiredObject> inExportedTree(ManifestSource source, String path, TreeWork render) {
        Path work = null;
        try {
            work = Files.createTempDirectory("driftwarden-render-");
            Path tree = work.resolve("tree");
            source.exportTo(tree, path);
            return render.render(tree, work);
        } catch (IOException e) {
            throw new RenderException(List.of("cannot prepare the repository for rendering: " + e.getMessage()));
        } finally {
            deleteQuietly(work);
        }
    }

    private List<YamlDocument> parse(String output, String what) {
        try {
            return YamlDocuments.parseAll(output, what, limits);
        } catch (YamlException e) {
            throw new RenderException(List.of(e.getMessage()));
        }
    }

    /** Where kustomize says an object came from (its origin annotation, then removed), else the kustomization. */
    private static String kustomizeOrigin(YamlDocument document, String path) {
        JsonNode annotations = document.tree().path("metadata").path("annotations");
        String kustomization = path.isEmpty() ? "kustomization" : path + "/kustomization";
        if (!(annotations instanceof ObjectNode map) || !map.has(KustomizeBuild.ORIGIN_ANNOTATION)) {
            return kustomization;
        }
        String origin = map.remove(KustomizeBuild.ORIGIN_ANNOTATION).asString("");
        if (map.isEmpty()) {
            ((ObjectNode) document.tree().get("metadata")).remove("annotations");
        }
        for (String line : origin.split("\n")) {
            String trimmed = line.strip();
            for (String key : List.of("path: ", "configuredIn: ")) {
                if (trimmed.startsWith(key)) {
                    return KustomizeBuild.repositoryPath(trimmed.substring(key.length()).strip()) + " (via " + kustomization + ")";
                }
            }
        }
        return kustomization;
    }

    private List<DesiredObject> objects(List<Parsed> parsed, BindingSpec binding, List<String> problems, KindScopes cluster) {
        List<DesiredObject> objects = new ArrayList<>();
        Map<ResourceKey, String> seen = new HashMap<>();
        // the cluster's word before a definition in Git: a repository cannot re-scope a kind the cluster serves
        KindScopes scopes = Schemas.builtin().orElse(cluster).orElse(Schemas.builtin().withCrds(parsed.stream().map(p -> p.document().tree())
                .filter(tree -> tree != null && tree.isObject()).toList()));
        for (Parsed document : parsed) {
            DesiredObject object = toObject(document.document(), document.origin(), binding, problems, scopes);
            if (object == null) {
                continue;
            }
            String first = seen.putIfAbsent(object.key(), object.origin());
            if (first != null) {
                problems.add(object.origin() + ": " + object.key().subject() + " is already declared at " + first);
            } else {
                objects.add(object);
            }
        }
        if (!problems.isEmpty()) {
            throw new RenderException(problems);
        }
        if (binding.createNamespace()) {
            ResourceKey namespaceKey = ResourceKey.of("v1", "Namespace", "", binding.namespace());
            if (!seen.containsKey(namespaceKey)) {
                objects.add(0, namespace(binding));
            }
        }
        return objects;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is not worth failing the binding for
        }
    }

    /**
     * Whether {@code object} is the Namespace {@code createNamespace: true} added: it is created when missing and otherwise
     * left as it is, and it does not count as rendered for the empty-render prune guard.
     */
    public static boolean createdForBinding(DesiredObject object) {
        return object.origin().endsWith(CREATE_NAMESPACE) && object.key().kind().equals("Namespace") && object.key().group().isEmpty();
    }

    /** The binding's own namespace, declared by {@code createNamespace: true} rather than by a manifest. */
    private static DesiredObject namespace(BindingSpec binding) {
        ObjectNode manifest = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Namespace");
        ObjectNode labels = manifest.putObject("metadata").put("name", binding.namespace()).putObject("labels");
        labels.put(MANAGED_BY, "driftwarden");
        labels.put(BINDING_LABEL, binding.name());
        return new DesiredObject(ResourceKey.of("v1", "Namespace", "", binding.namespace()), manifest,
                binding.origin() + CREATE_NAMESPACE);
    }

    /**
     * The desired object of one document. A namespaced kind — or one whose scope nothing can establish, which tenancy
     * then refuses to write — without a namespace gets the binding's; a cluster-scoped kind must not name one.
     */
    private static DesiredObject toObject(YamlDocument document, String origin, BindingSpec binding, List<String> problems,
                                          KindScopes scopes) {
        if (document.tree() == null || document.tree().isNull()) {
            return null;
        }
        if (!(document.tree() instanceof ObjectNode manifest)) {
            problems.add(origin + ": a manifest must be a mapping with apiVersion, kind and metadata.name");
            return null;
        }
        String apiVersion = text(manifest.get("apiVersion"));
        String kind = text(manifest.get("kind"));
        JsonNode metadata = manifest.get("metadata");
        String name = metadata == null ? null : text(metadata.get("name"));
        List<String> missing = new ArrayList<>();
        if (apiVersion == null) {
            missing.add("apiVersion");
        }
        if (kind == null) {
            missing.add("kind");
        }
        if (name == null) {
            missing.add("metadata.name");
        }
        if (!missing.isEmpty()) {
            problems.add(origin + ": missing " + String.join(", ", missing));
            return null;
        }
        String notASegment = pathSegmentProblem(name, "metadata.name");
        if (notASegment == null && text(meta(manifest).get("namespace")) != null) {
            notASegment = pathSegmentProblem(text(meta(manifest).get("namespace")), "metadata.namespace");
        }
        if (notASegment != null) {
            problems.add(origin + ": " + notASegment);
            return null;
        }
        if (kind.endsWith("List") && manifest.has("items")) {
            problems.add(origin + ": " + kind + " documents are not supported; write one object per document");
            return null;
        }
        ObjectNode meta = (ObjectNode) metadata;
        String namespace = "";
        if (scopes.scope(apiVersion, kind) != KindScopes.Scope.CLUSTER) {
            namespace = text(meta.get("namespace"));
            if (namespace == null) {
                namespace = binding.namespace();
                meta.put("namespace", namespace);
            }
        } else if (meta.has("namespace")) {
            problems.add(origin + ": " + kind + " is cluster-scoped and takes no namespace");
            return null;
        }
        ObjectNode labels = meta.has("labels") && meta.get("labels").isObject()
                ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
        labels.put(MANAGED_BY, "driftwarden");
        labels.put(BINDING_LABEL, binding.name());
        return new DesiredObject(ResourceKey.of(apiVersion, kind, namespace, name), manifest, origin);
    }

    /**
     * Why {@code value} cannot name an object in a request path, or null: Kubernetes' own rule
     * (apimachinery {@code path.IsValidPathSegmentName}: not {@code .} or {@code ..}, no {@code /} or {@code %}).
     */
    private static String pathSegmentProblem(String value, String field) {
        if (value.equals(".") || value.equals("..") || value.contains("/") || value.contains("%")) {
            return field + " '" + value + "' may not be '.' or '..' or contain '/' or '%' (it names the object in the request path)";
        }
        return null;
    }

    private static JsonNode meta(ObjectNode manifest) {
        return manifest.path("metadata");
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }
}
