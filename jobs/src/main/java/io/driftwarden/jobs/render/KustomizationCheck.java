package io.driftwarden.jobs.render;

import io.driftwarden.config.yaml.YamlDocuments;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The policy for one kustomization ({@code kind: Kustomization} or {@code Component}) read from a tenant's
 * repository: every field that can name a file or a URL names a file or folder that the repository holds at the
 * commit, and nothing else. It is an allowlist of kustomize v5.5's fields ({@code api/types/kustomization.go} and
 * the types it references in kubernetes-sigs/kustomize): a field it does not know is refused, so a newer kustomize
 * cannot widen what a tenant reaches, and so is a key it does not know inside a patch, generator, replacement or
 * {@code openapi} entry. Helm and plugin fields are refused outright. Each refusal reads {@code file:line: message}
 * at the offending node. Pure: what the repository holds comes from the {@link Tree} it is handed.
 */
final class KustomizationCheck {

    /** What a path is in the exported tree. */
    enum Kind { FILE, FOLDER, NONE }

    /**
     * What the exported tree holds at a repository path. The path is the kustomization's folder joined with the
     * reference as written ({@code app/../base}); the tree follows it as the operating system does (links and
     * {@code ..} in that order) and answers {@link Kind#NONE} for anything that ends outside the tree.
     */
    @FunctionalInterface
    interface Tree {
        Kind kind(String path);
    }

    /** The refusals ({@code file:line: message}) and the folders whose kustomizations kustomize reads next. */
    record Verdict(List<String> problems, List<String> kustomizations) {
    }

    private static final String VENDOR = "driftwarden renders only what the repository holds at the commit (vendor it into the repository)";
    private static final String ALLOWLIST = "driftwarden allows only the kustomization fields it checks (kustomize v5.5's)";
    /**
     * What kustomize would fetch instead of reading the tree: a scheme or scp-like host ({@code https:}, {@code git::},
     * {@code ssh:}, {@code file:}, {@code github.com:}), {@code git@}, a bare GitHub/GitLab/Bitbucket host, a repository
     * path separator ({@code //}) or a query ({@code ?ref=}). Refused even when a file of that name exists: kustomize
     * tries the remote form first.
     */
    private static final Pattern REMOTE = Pattern.compile(
            "^(?:[A-Za-z][A-Za-z0-9+.-]*:|git@|(?:github|gitlab|bitbucket)\\.(?:com|org)/)|//|\\?");

    /** Fields that name no file and no URL: kustomize's own strict decoding checks their shape. */
    private static final Set<String> PLAIN = Set.of("apiVersion", "kind", "metadata", "namePrefix", "nameSuffix", "namespace",
            "commonLabels", "labels", "commonAnnotations", "images", "imageTags", "replicas", "vars", "sortOptions",
            "generatorOptions", "buildMetadata");
    private static final Set<String> KUSTOMIZATIONS = Set.of("resources", "bases", "components");
    private static final Set<String> FILE_LISTS = Set.of("crds", "configurations");
    private static final Set<String> PATCH_KEYS = Set.of("path", "patch", "target", "options");
    private static final Set<String> CONFIG_MAP_KEYS = Set.of("name", "namespace", "behavior", "literals", "files", "envs", "env",
            "options");
    private static final Set<String> SECRET_KEYS = Set.of("name", "namespace", "behavior", "literals", "files", "envs", "env",
            "options", "type");
    private static final Set<String> REPLACEMENT_KEYS = Set.of("path", "source", "targets");
    private static final Set<String> OPENAPI_KEYS = Set.of("path", "version");
    private static final Map<String, String> REFUSED = Map.of(
            "helmCharts", "helmCharts are refused: render the chart with a binding whose path holds its Chart.yaml",
            "helmChartInflationGenerator", "helmChartInflationGenerator is refused: render the chart with a Helm binding",
            "helmGlobals", "helmGlobals are refused: render the chart with a Helm binding",
            "generators", "plugins (generators) are refused: driftwarden runs kustomize's built-in fields only",
            "transformers", "plugins (transformers) are refused: driftwarden runs kustomize's built-in fields only",
            "validators", "plugins (validators) are refused: driftwarden runs kustomize's built-in fields only");

    private final String file;
    private final String folder;
    private final Tree tree;
    private final List<String> problems = new ArrayList<>();
    private final List<String> kustomizations = new ArrayList<>();

    private KustomizationCheck(String file, Tree tree) {
        this.file = file;
        this.folder = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : "";
        this.tree = tree;
    }

    /** Checks the kustomization {@code root} read from repository path {@code file}. */
    static Verdict check(Node root, String file, Tree tree) {
        KustomizationCheck check = new KustomizationCheck(file, tree);
        if (root instanceof MappingNode mapping) {
            check.fields(mapping);
        }
        return new Verdict(List.copyOf(check.problems), List.copyOf(check.kustomizations));
    }

    private void fields(MappingNode mapping) {
        for (NodeTuple tuple : mapping.getValue()) {
            String key = key(tuple, "");
            if (key == null) {
                continue;
            }
            Node value = tuple.getValueNode();
            if (REFUSED.containsKey(key)) {
                problem(tuple.getKeyNode(), REFUSED.get(key));
            } else if (KUSTOMIZATIONS.contains(key)) {
                for (Node entry : list(key, value)) {
                    if (path(key, entry, true) == Kind.FOLDER) {
                        kustomizations.add(join(((ScalarNode) entry).getValue()));
                    }
                }
            } else if (FILE_LISTS.contains(key)) {
                list(key, value).forEach(entry -> path(key, entry, false));
            } else if (key.equals("patches") || key.equals("patchesJson6902")) {
                entries(key, value, PATCH_KEYS, (field, entry) -> optionalFile(field, entry, "path"));
            } else if (key.equals("patchesStrategicMerge")) {
                for (Node entry : list(key, value)) {
                    if (!inlinePatch(entry)) {
                        path(key, entry, false);
                    }
                }
            } else if (key.equals("configMapGenerator") || key.equals("secretGenerator")) {
                entries(key, value, key.equals("secretGenerator") ? SECRET_KEYS : CONFIG_MAP_KEYS, this::generator);
            } else if (key.equals("replacements")) {
                entries(key, value, REPLACEMENT_KEYS, (field, entry) -> optionalFile(field, entry, "path"));
            } else if (key.equals("openapi")) {
                if (value instanceof MappingNode entry) {
                    if (knownKeys(key, entry, OPENAPI_KEYS)) {
                        optionalFile(key, entry, "path");
                    }
                } else if (!isNull(value)) {
                    problem(value, key + " must be a mapping (path or version)");
                }
            } else if (!PLAIN.contains(key)) {
                problem(tuple.getKeyNode(), "unknown field '" + key + "' is refused: " + ALLOWLIST);
            }
        }
    }

    /** A generator's {@code files} ({@code [key=]path}: a file or a folder), {@code envs} and {@code env}. */
    private void generator(String field, MappingNode entry) {
        for (NodeTuple tuple : entry.getValue()) {
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            Node value = tuple.getValueNode();
            switch (key) {
                case "files" -> {
                    for (Node source : list(field + ".files", value)) {
                        fileSource(field + ".files", source);
                    }
                }
                case "envs" -> list(field + ".envs", value).forEach(source -> path(field + ".envs", source, false));
                case "env" -> path(field + ".env", value, false);
                default -> {
                }
            }
        }
    }

    /** kustomize's {@code [key=]path}: no {@code =} is a path, one {@code =} inside splits key and path; others it refuses too. */
    private void fileSource(String field, Node source) {
        if (!(source instanceof ScalarNode scalar) || !Tag.STR.equals(scalar.getTag())) {
            problem(source, field + " entries must be plain text ([key=]path)");
            return;
        }
        String text = scalar.getValue();
        int equals = text.indexOf('=');
        if (equals < 0) {
            path(field, scalar, text, true);
        } else if (equals == 0 || equals == text.length() - 1 || text.indexOf('=', equals + 1) >= 0) {
            problem(scalar, "'" + text + "' in " + field + " is not [key=]path");
        } else {
            path(field, scalar, text.substring(equals + 1), true);
        }
    }

    private void optionalFile(String field, MappingNode entry, String key) {
        for (NodeTuple tuple : entry.getValue()) {
            if (((ScalarNode) tuple.getKeyNode()).getValue().equals(key)) {
                path(field + "." + key, tuple.getValueNode(), false);
            }
        }
    }

    /**
     * A {@code patchesStrategicMerge} entry is inline patch text when it spans lines or is a flow mapping; kustomize
     * tries such text as YAML first, and a URL can hold neither a line break nor a leading brace.
     */
    private static boolean inlinePatch(Node entry) {
        if (!(entry instanceof ScalarNode scalar) || !Tag.STR.equals(scalar.getTag())) {
            return false;
        }
        String text = scalar.getValue().strip();
        return text.contains("\n") || text.startsWith("{");
    }

    /** A list of mappings with only {@code keys}; {@code each} checks an entry whose keys are all known. */
    private void entries(String field, Node value, Set<String> keys, EntryCheck each) {
        List<Node> list = list(field, value);
        for (int i = 0; i < list.size(); i++) {
            String at = field + "[" + i + "]";
            if (!(list.get(i) instanceof MappingNode entry)) {
                problem(list.get(i), at + " must be a mapping");
            } else if (knownKeys(at, entry, keys)) {
                each.check(at, entry);
            }
        }
    }

    private interface EntryCheck {
        void check(String field, MappingNode entry);
    }

    private boolean knownKeys(String field, MappingNode entry, Set<String> keys) {
        boolean known = true;
        for (NodeTuple tuple : entry.getValue()) {
            String key = key(tuple, field + ".");
            if (key == null) {
                known = false;
            } else if (!keys.contains(key)) {
                problem(tuple.getKeyNode(), field + ": unknown field '" + key + "' is refused: " + ALLOWLIST);
                known = false;
            }
        }
        return known;
    }

    /** The key's text, or null (and a refusal) when it is not plain text: kustomize's YAML reader would read it otherwise. */
    private String key(NodeTuple tuple, String prefix) {
        if (tuple.getKeyNode() instanceof ScalarNode scalar && Tag.STR.equals(scalar.getTag())) {
            return scalar.getValue();
        }
        problem(tuple.getKeyNode(), prefix + "a key must be plain text");
        return null;
    }

    private List<Node> list(String field, Node value) {
        if (value instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        if (!isNull(value)) {
            problem(value, field + " must be a list");
        }
        return List.of();
    }

    private Kind path(String field, Node node, boolean folderAllowed) {
        if (!(node instanceof ScalarNode scalar) || !Tag.STR.equals(scalar.getTag())) {
            problem(node, field + " must name a path as plain text");
            return Kind.NONE;
        }
        return path(field, scalar, scalar.getValue(), folderAllowed);
    }

    /** Checks that {@code text} names a file (or, if allowed, a folder) inside the repository at the commit. */
    private Kind path(String field, ScalarNode node, String text, boolean folderAllowed) {
        String quoted = "'" + text + "'";
        if (text.isBlank()) {
            problem(node, field + " names an empty path");
            return Kind.NONE;
        }
        if (REMOTE.matcher(text).find()) {
            problem(node, KUSTOMIZATIONS.contains(field) ? "remote resource " + quoted + " is refused: " + VENDOR
                    : "remote file " + quoted + " in " + field + " is refused: " + VENDOR);
            return Kind.NONE;
        }
        if (text.startsWith("/") || normalize(join(text)) == null) {
            problem(node, quoted + " in " + field + " leaves the repository");
            return Kind.NONE;
        }
        Kind kind = tree.kind(join(text));
        if (kind == Kind.NONE) {
            problem(node, quoted + " in " + field + " is not in the repository at the commit");
        } else if (kind == Kind.FOLDER && !folderAllowed) {
            problem(node, quoted + " in " + field + " is a folder; it must name a file");
        }
        return kind;
    }

    private String join(String reference) {
        return folder.isEmpty() ? reference : folder + "/" + reference;
    }

    /** {@code path} without {@code .}, empty and {@code ..} segments, or null when a {@code ..} climbs above the root. */
    static String normalize(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return null;
                }
                segments.removeLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        return String.join("/", segments);
    }

    private static boolean isNull(Node value) {
        return value instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    private void problem(Node node, String message) {
        problems.add(file + ":" + YamlDocuments.line(node) + ": " + message);
    }
}
