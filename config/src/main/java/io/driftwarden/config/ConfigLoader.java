package io.driftwarden.config;

import io.driftwarden.config.yaml.YamlDocuments;
import io.driftwarden.config.yaml.YamlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates {@code driftwarden.yaml}. Every problem — unknown keys, missing required keys, a binding
 * naming a source or cluster that does not exist, duplicate names, a bad cron — is collected with its
 * {@code file:line} and thrown at once as a {@link ConfigException}.
 */
public final class ConfigLoader {

    private static final Set<String> TOP_KEYS = Set.of("audit", "sources", "clusters", "bindings", "kustomize", "denyKinds", "limits", "defaults",
            "windows", "webhook", "evidence");
    private static final Set<String> EVIDENCE_KEYS = Set.of("signingKeyFrom");
    /** The longest control id a binding may name. */
    static final int MAX_CONTROL_ID = 100;
    private static final Set<String> WEBHOOK_KEYS = Set.of("githubSecretFrom", "gitlabTokenFrom", "hmacSecretFrom", "maxBodySize");
    private static final Set<String> DEFAULTS_KEYS = Set.of("schedule", "timeZone");
    private static final Set<String> WINDOW_KEYS = Set.of("kind", "schedule", "duration", "timeZone", "bindings", "clusters");
    private static final Set<String> LIMIT_KEYS = Set.of("maxFileSize", "maxBindingSize", "yamlMaxDepth", "yamlMaxAliases");
    private static final Set<String> KUSTOMIZE_KEYS = Set.of("command");
    private static final Set<String> HELM_KEYS = Set.of("releaseName", "valuesFiles", "values");
    private static final Set<String> AUDIT_KEYS = Set.of("url", "username", "passwordFrom", "leaseTimeout", "checkpoints");
    private static final Set<String> CHECKPOINT_KEYS = Set.of("file", "signingKeyFrom");
    private static final Set<String> SOURCE_KEYS = Set.of("name", "url", "ref", "auth", "timeout", "verify", "forcePush");
    private static final Set<String> AUTH_KEYS = Set.of("username", "passwordFrom", "tokenFrom", "caFile", "sshKeyFrom", "knownHosts");
    private static final Set<String> VERIFY_KEYS = Set.of("keyring");
    private static final Set<String> CLUSTER_KEYS = Set.of("name", "kubeconfig", "context", "inCluster", "requestTimeout", "listByLabel");
    private static final Set<String> BINDING_KEYS = Set.of(
            "name", "source", "path", "cluster", "namespace", "mode", "prune", "createNamespace", "schedule", "ignore",
            "driftManagers", "helm", "maxPrune", "allowNamespaces", "allowClusterKinds", "adopt", "pruneNamespaces", "timeZone",
            "controls");
    /** Kubernetes' rule for a label value (apimachinery validation.IsValidLabelValue), non-empty. */
    private static final java.util.regex.Pattern LABEL_VALUE = java.util.regex.Pattern.compile(
            "(?=.{1,63}$)[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    /** The time zone of a schedule that names none. */
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final java.util.regex.Pattern DURATION_PART = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Set<String> IGNORE_KEYS = Set.of("group", "kind", "namespace", "name", "jsonPointers");

    private ConfigLoader() {
    }

    /** Loads {@code file}; a missing or unreadable file is a {@link ConfigException} too. */
    public static DriftwardenConfig load(Path file) {
        return load(file, CronCheck.NONE);
    }

    /** Reads and validates {@code file}, its cron expressions by {@code cronCheck}. */
    public static DriftwardenConfig load(Path file, CronCheck cronCheck) {
        String content;
        try {
            content = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(file + ": config file not found"));
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        return parse(content, file, cronCheck);
    }

    /** Parses config text; {@code file} names positions and anchors relative kubeconfig paths. */
    public static DriftwardenConfig parse(String content, Path file) {
        return parse(content, file, CronCheck.NONE);
    }

    /** Parses config text, checking its cron expressions with {@code cronCheck}. */
    public static DriftwardenConfig parse(String content, Path file, CronCheck cronCheck) {
        Reader reader = new Reader(file.toString());
        Node root;
        try {
            root = YamlDocuments.composeOne(content, file.toString());
        } catch (YamlException e) {
            throw new ConfigException(List.of(e.getMessage()));
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new ConfigException(List.of(file + ":1: expected a mapping with sources, clusters and bindings"));
        }
        Section top = reader.section(mapping, "config", TOP_KEYS);
        AuditSettings audit = top.has("audit") ? readAudit(top.section("audit", AUDIT_KEYS), file.toAbsolutePath().getParent()) : AuditSettings.defaults();
        Path baseDir = file.toAbsolutePath().getParent();

        List<SourceSpec> sources = new ArrayList<>();
        Map<String, Integer> sourceLines = new HashMap<>();
        for (Section s : top.list("sources", "source", SOURCE_KEYS)) {
            String name = s.required("name");
            String url = s.required("url");
            if (url != null && url.matches("[A-Za-z][A-Za-z0-9+.-]*://[^/@]*:[^/@]*@.*")) {
                reader.problem(s.line("url"), "source '" + name + "': a password in the URL is refused (it would show in logs and the "
                        + "audit trail): use auth.tokenFrom or auth.passwordFrom");
            }
            GitAuth auth = s.has("auth") ? gitAuth(s.section("auth", AUTH_KEYS), name, url, baseDir) : GitAuth.NONE;
            if (url != null && url.startsWith("ssh://") || url != null && url.matches("[^/:]+@[^/:]+:.*")) {
                if (auth.knownHosts() == null) {
                    reader.problem(s.line("url"), "source '" + name + "': an SSH source needs auth.knownHosts (a known_hosts file "
                            + "with the server's key): an unknown host key is refused");
                }
            }
            Path keyring = null;
            if (s.has("verify")) {
                String ring = s.section("verify", VERIFY_KEYS).required("keyring");
                keyring = ring == null ? null : baseDir.resolve(ring).normalize();
            }
            String forcePush = s.optional("forcePush", "record");
            if (!forcePush.equals("record") && !forcePush.equals("refuse")) {
                reader.problem(s.line("forcePush"), "source '" + name + "': forcePush must be record or refuse, not '" + forcePush + "'");
            }
            if (name != null && reader.unique(sourceLines, name, s.line("name"), "source") && url != null) {
                sources.add(new SourceSpec(name, url, s.optional("ref", "main"), auth, s.duration("timeout", SourceSpec.DEFAULT_TIMEOUT),
                        keyring, forcePush.equals("refuse"), file + ":" + s.line(null)));
            }
        }

        List<ClusterSpec> clusters = new ArrayList<>();
        Map<String, Integer> clusterLines = new HashMap<>();
        for (Section c : top.list("clusters", "cluster", CLUSTER_KEYS)) {
            String name = c.required("name");
            boolean inCluster = c.bool("inCluster", false);
            String kubeconfig = c.optional("kubeconfig", null);
            if (inCluster && kubeconfig != null) {
                reader.problem(c.line("kubeconfig"), "cluster '" + name + "': set kubeconfig or inCluster, not both");
            }
            if (name != null && reader.unique(clusterLines, name, c.line("name"), "cluster")) {
                clusters.add(new ClusterSpec(name, inCluster ? null : kubeconfigPath(kubeconfig, baseDir),
                        c.optional("context", null), inCluster, c.duration("requestTimeout", ClusterSpec.DEFAULT_REQUEST_TIMEOUT),
                        c.bool("listByLabel", false), file + ":" + c.line(null)));
            }
        }

        Schedule defaultSchedule = null;
        ZoneId defaultZone = UTC;
        if (top.has("defaults")) {
            Section defaults = top.section("defaults", DEFAULTS_KEYS);
            defaultZone = zone(defaults, UTC);
            defaultSchedule = schedule(defaults, "defaults", defaultZone, cronCheck);
        }

        List<BindingSpec> bindings = new ArrayList<>();
        Map<String, Integer> bindingLines = new HashMap<>();
        for (Section b : top.list("bindings", "binding", BINDING_KEYS)) {
            String name = b.required("name");
            if (name != null && !LABEL_VALUE.matcher(name).matches()) {
                reader.problem(b.line("name"), "binding '" + name + "': a binding name becomes the value of the label "
                        + "driftwarden.io/binding, so it must be at most 63 characters of A-Z, a-z, 0-9, '.', '_', '-', "
                        + "beginning and ending with a letter or digit");
            }
            String source = b.required("source");
            String cluster = b.required("cluster");
            String namespace = b.required("namespace");
            String path = normalizePath(b, reader);
            if (source != null && !sourceLines.containsKey(source)) {
                reader.problem(b.line("source"), "binding '" + name + "': no source named '" + source + "'");
            }
            if (cluster != null && !clusterLines.containsKey(cluster)) {
                reader.problem(b.line("cluster"), "binding '" + name + "': no cluster named '" + cluster + "'");
            }
            Mode mode = mode(b, reader);
            Integer maxPrune = null;
            String maxPruneText = b.optional("maxPrune", null);
            if (maxPruneText != null) {
                try {
                    maxPrune = Integer.parseInt(maxPruneText);
                } catch (NumberFormatException e) {
                    maxPrune = -1;
                }
                if (maxPrune < 1) {
                    reader.problem(b.line("maxPrune"), "binding '" + name + "': maxPrune must be a whole number of at least 1, not '"
                            + maxPruneText + "'");
                }
            }
            Schedule schedule = schedule(b, "binding '" + name + "'", zone(b, defaultZone), cronCheck);
            if (schedule == null && defaultSchedule != null) {
                schedule = b.has("timeZone") ? new Schedule(defaultSchedule.cron(), zone(b, defaultZone), defaultSchedule.origin())
                        : defaultSchedule;
            }
            List<IgnoreRule> ignore = new ArrayList<>();
            for (Section rule : b.list("ignore", "ignore rule", IGNORE_KEYS)) {
                ignore.add(ignoreRule(rule, reader));
            }
            DriftManagers driftManagers = DriftManagers.KUBECTL;
            if (b.has("driftManagers")) {
                List<String> patterns = b.strings("driftManagers");
                patterns.stream().map(DriftManagers::problem).filter(Objects::nonNull)
                        .forEach(problem -> reader.problem(b.line("driftManagers"), "binding '" + name + "': driftManagers: " + problem));
                driftManagers = new DriftManagers(patterns);
            }
            HelmSettings helm = b.has("helm") ? helm(b.section("helm", HELM_KEYS), name, reader)
                    : new HelmSettings(name, List.of(), JsonNodeFactory.instance.objectNode());
            if (name != null && reader.unique(bindingLines, name, b.line("name"), "binding")) {
                bindings.add(new BindingSpec(name, source, path, cluster, namespace, mode,
                        b.bool("createNamespace", false), schedule, ignore, driftManagers, helm, b.bool("prune", false), maxPrune,
                        b.strings("allowNamespaces"), b.strings("allowClusterKinds"), b.bool("adopt", false),
                        b.bool("pruneNamespaces", false), controls(b, name), file + ":" + b.line(null)));
            }
        }
        List<String> kustomize = List.of();
        if (top.has("kustomize")) {
            Section section = top.section("kustomize", KUSTOMIZE_KEYS);
            kustomize = section.strings("command");
            if (kustomize.isEmpty()) {
                reader.problem(section.line("command"), "kustomize.command must list the command and its arguments, "
                        + "e.g. [kustomize, build]; the directory is appended");
            }
        }
        List<String> denyKinds = top.has("denyKinds") ? top.strings("denyKinds") : DriftwardenConfig.DEFAULT_DENY_KINDS;
        InputLimits limits = top.has("limits") ? limits(top.section("limits", LIMIT_KEYS)) : InputLimits.DEFAULTS;
        List<SyncWindow> windows = new ArrayList<>();
        for (Section w : top.has("windows") ? top.list("windows", "window", WINDOW_KEYS) : List.<Section>of()) {
            SyncWindow window = window(w, cronCheck, clusterLines.keySet());
            if (window != null) {
                windows.add(window);
            }
        }
        WebhookSettings webhook = WebhookSettings.NONE;
        if (top.has("webhook")) {
            Section w = top.section("webhook", WEBHOOK_KEYS);
            webhook = new WebhookSettings(secretRef(w, "githubSecretFrom", "webhook."), secretRef(w, "gitlabTokenFrom", "webhook."),
                    secretRef(w, "hmacSecretFrom", "webhook."), w.size("maxBodySize", WebhookSettings.NONE.maxBodyBytes()));
        }
        EvidenceSettings evidence = top.has("evidence") ? evidence(top.section("evidence", EVIDENCE_KEYS), baseDir) : EvidenceSettings.NONE;
        if (!reader.problems.isEmpty()) {
            throw new ConfigException(reader.problems);
        }
        return new DriftwardenConfig(file, audit, sources, clusters, bindings, kustomize, denyKinds, limits, windows, webhook, evidence);
    }

    /**
     * A binding's {@code controls}: a list of control ids (free-form, such as {@code SOC2-CC8.1}), each a non-empty
     * single-line text of at most {@link #MAX_CONTROL_ID} characters; duplicates are kept once.
     */
    private static List<String> controls(Section binding, String name) {
        NodeTuple tuple = binding.entries.get("controls");
        if (tuple == null) {
            return List.of();
        }
        String at = "binding '" + name + "': controls";
        if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
            binding.reader.problem(binding.line("controls"), at + " must be a list of control ids, e.g. [SOC2-CC8.1, ISO27001-A.8.32]");
            return List.of();
        }
        Set<String> controls = new LinkedHashSet<>();
        for (Node item : sequence.getValue()) {
            int line = YamlDocuments.line(item);
            if (!(item instanceof ScalarNode scalar) || Tag.NULL.equals(scalar.getTag())) {
                binding.reader.problem(line, at + ": each entry must be a control id (text such as SOC2-CC8.1)");
            } else if (scalar.getValue().isBlank()) {
                binding.reader.problem(line, at + ": a control id must not be empty");
            } else if (scalar.getValue().length() > MAX_CONTROL_ID || scalar.getValue().chars().anyMatch(Character::isISOControl)) {
                binding.reader.problem(line, at + ": a control id is one line of at most " + MAX_CONTROL_ID + " characters");
            } else {
                controls.add(scalar.getValue().strip());
            }
        }
        return List.copyOf(controls);
    }

    /** {@code evidence}: its signing key, required; a {@code file:} key relative to the config's folder. */
    private static EvidenceSettings evidence(Section evidence, Path baseDir) {
        SecretRef key = secretRef(evidence, "signingKeyFrom", "evidence.");
        if (key == null && !evidence.has("signingKeyFrom")) {
            evidence.reader.problem(evidence.line(null), "evidence: missing required key 'signingKeyFrom' (env:NAME or file:PATH of an "
                    + "Ed25519 private key, PEM PKCS#8)");
        }
        if (key == null) {
            return EvidenceSettings.NONE;
        }
        if (key.scheme().equals("file")) {
            key = new SecretRef("file", baseDir.resolve(key.target()).normalize().toString(), key.origin());
        }
        return new EvidenceSettings(key, key.origin());
    }

    private static HelmSettings helm(Section helm, String binding, Reader reader) {
        List<String> valuesFiles = helm.strings("valuesFiles");
        for (String valuesFile : valuesFiles) {
            if (valuesFile.startsWith("/")) {
                reader.problem(helm.line("valuesFiles"), "binding '" + binding + "': helm.valuesFiles: '" + valuesFile
                        + "' must be relative to the chart's folder");
            }
        }
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        if (helm.has("values")) {
            JsonNode given;
            try {
                given = YamlDocuments.toJson(helm.entries.get("values").getValueNode(), reader.file);
            } catch (YamlException e) {
                reader.problems.add(e.getMessage());
                given = values;
            }
            if (given instanceof ObjectNode object) {
                values = object;
            } else {
                reader.problem(helm.line("values"), "binding '" + binding + "': helm.values must be a mapping of chart values");
            }
        }
        return new HelmSettings(helm.optional("releaseName", binding), valuesFiles, values);
    }

    /** The section's {@code schedule} in {@code zone}, checked by {@code cronCheck}; null when it has none or it is invalid. */
    private static Schedule schedule(Section section, String what, ZoneId zone, CronCheck cronCheck) {
        String cron = section.optional("schedule", null);
        if (cron == null) {
            return null;
        }
        String problem = cronCheck.problem(cron);
        if (problem != null) {
            section.reader.problem(section.line("schedule"), what + ": invalid cron expression '" + cron + "': " + problem);
            return null;
        }
        return new Schedule(cron, zone, section.reader.file + ":" + section.line("schedule"));
    }

    private static ZoneId zone(Section section, ZoneId fallback) {
        String text = section.optional("timeZone", null);
        if (text == null) {
            return fallback;
        }
        try {
            return ZoneId.of(text);
        } catch (java.time.DateTimeException e) {
            section.reader.problem(section.line("timeZone"), section.what + ": unknown timeZone '" + text
                    + "' (a region such as Europe/Berlin, or UTC)");
            return fallback;
        }
    }

    private static SyncWindow window(Section w, CronCheck cronCheck, Set<String> clusters) {
        String kindText = w.required("kind");
        SyncWindow.Kind kind = null;
        if ("allow".equals(kindText) || "deny".equals(kindText)) {
            kind = SyncWindow.Kind.valueOf(kindText.toUpperCase(java.util.Locale.ROOT));
        } else if (kindText != null) {
            w.reader.problem(w.line("kind"), "window: kind must be allow or deny, not '" + kindText + "'");
        }
        if (!w.has("schedule")) {
            w.reader.problem(w.line(null), "window: missing required key 'schedule'");
        }
        if (!w.has("duration")) {
            w.reader.problem(w.line(null), "window: missing required key 'duration'");
        }
        Schedule schedule = schedule(w, "window", zone(w, UTC), cronCheck);
        java.time.Duration duration = w.duration("duration", null);
        List<String> bindings = w.strings("bindings");
        List<String> windowClusters = w.strings("clusters");
        if (bindings.isEmpty() && windowClusters.isEmpty()) {
            w.reader.problem(w.line(null), "window: name the bindings (glob patterns, e.g. ['*']) or clusters it applies to");
        }
        windowClusters.stream().filter(c -> !clusters.contains(c))
                .forEach(c -> w.reader.problem(w.line("clusters"), "window: no cluster named '" + c + "'"));
        if (kind == null || schedule == null || duration == null) {
            return null;
        }
        return new SyncWindow(kind, schedule, duration, bindings, windowClusters, w.reader.file + ":" + w.line(null));
    }

    private static InputLimits limits(Section limits) {
        InputLimits defaults = InputLimits.DEFAULTS;
        return new InputLimits(limits.size("maxFileSize", defaults.maxFileBytes()), limits.size("maxBindingSize", defaults.maxBindingBytes()),
                (int) limits.count("yamlMaxDepth", defaults.yamlMaxDepth()), (int) limits.count("yamlMaxAliases", defaults.yamlMaxAliases()));
    }

    /** A source's credentials: each secret by reference, files relative to the config's folder. */
    private static GitAuth gitAuth(Section auth, String source, String url, Path baseDir) {
        String at = "source '" + source + "': auth.";
        SecretRef password = secretRef(auth, "passwordFrom", at);
        SecretRef token = secretRef(auth, "tokenFrom", at);
        SecretRef sshKey = secretRef(auth, "sshKeyFrom", at);
        if (password != null && token != null) {
            auth.reader.problem(auth.line("tokenFrom"), at + "tokenFrom: set tokenFrom or passwordFrom, not both");
        }
        if (password != null && !auth.has("username")) {
            auth.reader.problem(auth.line("passwordFrom"), at + "passwordFrom needs a username");
        }
        if (sshKey != null && !sshKey.scheme().equals("file")) {
            auth.reader.problem(auth.line("sshKeyFrom"), at + "sshKeyFrom must be file:PATH (an SSH key is read from a file)");
        }
        boolean https = url != null && url.startsWith("https://");
        if ((password != null || token != null || auth.has("caFile")) && !https) {
            auth.reader.problem(auth.line(null), at + "tokenFrom, passwordFrom and caFile are for https:// URLs, not '" + url + "'");
        }
        if (sshKey != null && https) {
            auth.reader.problem(auth.line("sshKeyFrom"), at + "sshKeyFrom is for SSH URLs, not '" + url + "'");
        }
        String caFile = auth.optional("caFile", null);
        String knownHosts = auth.optional("knownHosts", null);
        return new GitAuth(auth.optional("username", null), password, token, caFile == null ? null : baseDir.resolve(caFile).normalize(),
                sshKey == null ? null : baseDir.resolve(sshKey.target()).normalize(),
                knownHosts == null ? null : baseDir.resolve(knownHosts).normalize());
    }

    private static SecretRef secretRef(Section section, String key, String at) {
        String text = section.optional(key, null);
        if (text == null) {
            return null;
        }
        try {
            return SecretRef.parse(text, section.reader.file + ":" + section.line(key));
        } catch (IllegalArgumentException e) {
            section.reader.problem(section.line(key), at + key + ": " + e.getMessage());
            return null;
        }
    }

    private static AuditSettings readAudit(Section audit, Path baseDir) {
        return new AuditSettings(audit.optional("url", AuditSettings.DEFAULT_URL), audit.optional("username", "sa"),
                secretRef(audit, "passwordFrom", "audit."), audit.duration("leaseTimeout", AuditSettings.DEFAULT_LEASE_TIMEOUT),
                audit.has("checkpoints") ? checkpoints(audit.section("checkpoints", CHECKPOINT_KEYS), baseDir) : null);
    }

    /** {@code audit.checkpoints}: both keys required; the file and a {@code file:} key relative to the config's folder. */
    private static CheckpointSettings checkpoints(Section checkpoints, Path baseDir) {
        String file = checkpoints.required("file");
        SecretRef key = secretRef(checkpoints, "signingKeyFrom", "audit.checkpoints.");
        if (key == null && !checkpoints.has("signingKeyFrom")) {
            checkpoints.reader.problem(checkpoints.line(null), "audit.checkpoints: missing required key 'signingKeyFrom' (env:NAME or "
                    + "file:PATH of an Ed25519 private key, PEM)");
        }
        if (file == null || key == null) {
            return null;
        }
        if (key.scheme().equals("file")) {
            key = new SecretRef("file", baseDir.resolve(key.target()).normalize().toString(), key.origin());
        }
        return new CheckpointSettings(baseDir.resolve(file).normalize(), key,
                checkpoints.reader.file + ":" + checkpoints.line(null));
    }

    private static Mode mode(Section binding, Reader reader) {
        String text = binding.optional("mode", "audit");
        try {
            return Mode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            reader.problem(binding.line("mode"), "mode must be enforce or audit, not '" + text + "'");
            return Mode.AUDIT;
        }
    }

    private static String normalizePath(Section binding, Reader reader) {
        String path = binding.optional("path", "");
        String clean = path.replace('\\', '/');
        while (clean.startsWith("./")) {
            clean = clean.substring(2);
        }
        clean = clean.replaceAll("/+$", "");
        if (clean.equals(".")) {
            clean = "";
        }
        if (clean.startsWith("/") || List.of(clean.split("/")).contains("..")) {
            reader.problem(binding.line("path"), "path '" + path + "' must stay inside the repository (no leading /, no ..)");
        }
        return clean;
    }

    private static IgnoreRule ignoreRule(Section rule, Reader reader) {
        List<String> pointers = rule.strings("jsonPointers");
        if (pointers.isEmpty()) {
            reader.problem(rule.line(null), "ignore rule: jsonPointers must list at least one pointer such as /spec/replicas");
        }
        for (String pointer : pointers) {
            if (!pointer.startsWith("/")) {
                reader.problem(rule.line("jsonPointers"), "ignore rule: '" + pointer + "' is not a JSON pointer (it must start with /)");
            }
        }
        return new IgnoreRule(rule.optional("group", null), rule.optional("kind", null),
                rule.optional("namespace", null), rule.optional("name", null), pointers);
    }

    private static Path kubeconfigPath(String configured, Path baseDir) {
        String text = configured;
        if (text == null) {
            String env = System.getenv("KUBECONFIG");
            text = env != null && !env.isBlank() ? env.split(java.io.File.pathSeparator)[0] : "~/.kube/config";
        }
        if (text.equals("~") || text.startsWith("~/")) {
            text = System.getProperty("user.home") + text.substring(1);
        }
        Path path = Path.of(text);
        return path.isAbsolute() || configured == null ? path : baseDir.resolve(path).normalize();
    }

    /** Collects problems with positions for one file. */
    private static final class Reader {
        final String file;
        final List<String> problems = new ArrayList<>();

        Reader(String file) {
            this.file = file;
        }

        void problem(int line, String message) {
            problems.add(file + ":" + line + ": " + message);
        }

        Section section(MappingNode node, String what, Set<String> known) {
            return new Section(this, node, what, known);
        }

        boolean unique(Map<String, Integer> seen, String name, int line, String what) {
            Integer first = seen.putIfAbsent(name, line);
            if (first != null) {
                problem(line, "duplicate " + what + " name '" + name + "' (first declared at line " + first + ")");
                return false;
            }
            return true;
        }
    }

    /** A YAML mapping whose keys have been checked against the known ones. */
    private static final class Section {
        final Reader reader;
        final MappingNode node;
        final String what;
        final Map<String, NodeTuple> entries = new HashMap<>();

        Section(Reader reader, MappingNode node, String what, Set<String> known) {
            this.reader = reader;
            this.node = node;
            this.what = what;
            for (NodeTuple tuple : node.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                int line = YamlDocuments.line(tuple.getKeyNode());
                if (entries.putIfAbsent(key, tuple) != null) {
                    reader.problem(line, "duplicate key '" + key + "' in " + what);
                } else if (!known.contains(key)) {
                    reader.problem(line, "unknown key '" + key + "' in " + what + " (known: "
                            + String.join(", ", new java.util.TreeSet<>(known)) + ")");
                }
            }
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        int line(String key) {
            NodeTuple tuple = key == null ? null : entries.get(key);
            return YamlDocuments.line(tuple == null ? node : tuple.getValueNode());
        }

        String required(String key) {
            String value = optional(key, null);
            if (value == null && !has(key)) {
                reader.problem(line(null), what + ": missing required key '" + key + "'");
            } else if (value == null || value.isBlank()) {
                reader.problem(line(key), what + ": '" + key + "' must not be empty");
                return null;
            }
            return value;
        }

        String optional(String key, String fallback) {
            NodeTuple tuple = entries.get(key);
            if (tuple == null) {
                return fallback;
            }
            if (tuple.getValueNode() instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())) {
                return scalar.getValue();
            }
            if (!(tuple.getValueNode() instanceof ScalarNode)) {
                reader.problem(line(key), what + ": '" + key + "' must be a single value");
            }
            return fallback;
        }

        boolean bool(String key, boolean fallback) {
            String text = optional(key, null);
            if (text == null) {
                return fallback;
            }
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            reader.problem(line(key), what + ": '" + key + "' must be true or false, not '" + text + "'");
            return fallback;
        }

        /** A byte size as Kubernetes writes one: {@code 4194304}, {@code 512Ki}, {@code 4Mi}, {@code 1Gi}; at least 1. */
        long size(String key, long fallback) {
            String text = optional(key, null);
            if (text == null) {
                return fallback;
            }
            java.util.regex.Matcher size = java.util.regex.Pattern.compile("(\\d{1,12})(Ki|Mi|Gi)?").matcher(text);
            if (size.matches() && Long.parseLong(size.group(1)) > 0) {
                int shift = size.group(2) == null ? 0 : switch (size.group(2)) {
                    case "Ki" -> 10;
                    case "Mi" -> 20;
                    default -> 30;
                };
                return Long.parseLong(size.group(1)) << shift;
            }
            reader.problem(line(key), what + ": '" + key + "' must be a size such as 4Mi, 512Ki or 1048576, not '" + text + "'");
            return fallback;
        }

        /** A whole number of at least 1. */
        long count(String key, long fallback) {
            String text = optional(key, null);
            if (text == null) {
                return fallback;
            }
            if (text.matches("\\d{1,9}") && Long.parseLong(text) > 0) {
                return Long.parseLong(text);
            }
            reader.problem(line(key), what + ": '" + key + "' must be a whole number of at least 1, not '" + text + "'");
            return fallback;
        }

        /** A duration as Go and kubectl write one: {@code 500ms}, {@code 30s}, {@code 1m30s}, {@code 2h}; more than zero. */
        java.time.Duration duration(String key, java.time.Duration fallback) {
            String text = optional(key, null);
            if (text == null) {
                return fallback;
            }
            java.util.regex.Matcher part = DURATION_PART.matcher(text);
            java.time.Duration total = java.time.Duration.ZERO;
            int end = 0;
            while (part.find() && part.start() == end) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> java.time.Duration.ofMillis(amount);
                    case "s" -> java.time.Duration.ofSeconds(amount);
                    case "m" -> java.time.Duration.ofMinutes(amount);
                    default -> java.time.Duration.ofHours(amount);
                });
                end = part.end();
            }
            if (end != text.length() || total.isZero()) {
                reader.problem(line(key), what + ": '" + key + "' must be a duration such as 500ms, 30s or 1m30s, not '" + text + "'");
                return fallback;
            }
            return total;
        }

        Section section(String key, Set<String> known) {
            Node value = entries.get(key).getValueNode();
            if (value instanceof MappingNode mapping) {
                return new Section(reader, mapping, key, known);
            }
            reader.problem(line(key), "'" + key + "' must be a mapping");
            MappingNode empty = new MappingNode(Tag.MAP, true, List.of(), value.getStartMark(), value.getEndMark(),
                    org.yaml.snakeyaml.DumperOptions.FlowStyle.AUTO);
            return new Section(reader, empty, key, known);
        }

        List<Section> list(String key, String itemWhat, Set<String> known) {
            NodeTuple tuple = entries.get(key);
            if (tuple == null) {
                if (what.equals("config")) {
                    reader.problem(1, "missing required key '" + key + "'");
                }
                return List.of();
            }
            if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
                if (!(tuple.getValueNode() instanceof ScalarNode s && Tag.NULL.equals(s.getTag()))) {
                    reader.problem(line(key), "'" + key + "' must be a list");
                }
                return List.of();
            }
            List<Section> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (item instanceof MappingNode mapping) {
                    items.add(new Section(reader, mapping, itemWhat, known));
                } else {
                    reader.problem(YamlDocuments.line(item), "each entry of '" + key + "' must be a mapping");
                }
            }
            return items;
        }

        List<String> strings(String key) {
            NodeTuple tuple = entries.get(key);
            if (tuple == null) {
                return List.of();
            }
            if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
                reader.problem(line(key), "'" + key + "' must be a list");
                return List.of();
            }
            Set<String> values = new LinkedHashSet<>();
            for (Node item : sequence.getValue()) {
                if (item instanceof ScalarNode scalar) {
                    values.add(scalar.getValue());
                } else {
                    reader.problem(YamlDocuments.line(item), "'" + key + "' entries must be plain values");
                }
            }
            return List.copyOf(values);
        }
    }
}
