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
            "windows", "webhook", "notifications", "exceptions", "exceptionPolicy", "evidence", "run");
    private static final Set<String> RUN_KEYS = Set.of("parallelBindings");
    private static final Set<String> EXCEPTION_KEYS = Set.of("name", "binding", "cluster", "namespace", "kind", "objectName", "paths",
            "reason", "approvedBy", "ticket", "expires");
    /** An exception's second {@code name} key (the shape: the first names the exception, the second the object). */
    private static final String OBJECT_NAME = "name (the object's)";
    private static final Set<String> EXCEPTION_POLICY_KEYS = Set.of("maxDays");
    private static final Set<String> EVIDENCE_KEYS = Set.of("signingKeyFrom");
    /** The longest control id a binding may name. */
    static final int MAX_CONTROL_ID = 100;
    private static final Set<String> WEBHOOK_KEYS = Set.of("githubSecretFrom", "gitlabTokenFrom", "hmacSecretFrom", "maxBodySize");
    private static final Set<String> DEFAULTS_KEYS = Set.of("schedule", "timeZone");
    private static final Set<String> WINDOW_KEYS = Set.of("kind", "schedule", "duration", "timeZone", "bindings", "clusters");
    private static final Set<String> LIMIT_KEYS = Set.of("maxFileSize", "maxBindingSize", "yamlMaxDepth", "yamlMaxAliases");
    private static final Set<String> KUSTOMIZE_KEYS = Set.of("command");
    private static final Set<String> HELM_KEYS = Set.of("releaseName", "valuesFiles", "values", "repository", "chart", "version", "digest",
            "verify", "auth", "caFile", "timeout", "plainHttp");
    private static final Set<String> HELM_AUTH_KEYS = Set.of("usernameFrom", "passwordFrom", "tokenFrom");
    /** Keys that only a remote chart ({@code helm.repository}) takes. */
    private static final List<String> REMOTE_ONLY_KEYS = List.of("chart", "version", "digest", "verify", "auth", "caFile", "timeout", "plainHttp");
    private static final Set<String> AUDIT_KEYS = Set.of("url", "username", "passwordFrom", "leaseTimeout", "checkpoints");
    private static final Set<String> CHECKPOINT_KEYS = Set.of("file", "signingKeyFrom");
    private static final Set<String> SOURCE_KEYS = Set.of("name", "url", "ref", "auth", "timeout", "verify", "forcePush");
    private static final Set<String> AUTH_KEYS = Set.of("username", "passwordFrom", "tokenFrom", "caFile", "sshKeyFrom", "knownHosts");
    private static final Set<String> VERIFY_KEYS = Set.of("keyring");
    private static final Set<String> CLUSTER_KEYS = Set.of("name", "kubeconfig", "context", "inCluster", "requestTimeout", "listByLabel", "maxInFlight");
    private static final Set<String> BINDING_KEYS = Set.of(
            "name", "source", "path", "cluster", "namespace", "mode", "prune", "createNamespace", "schedule", "ignore",
            "driftManagers", "helm", "maxPrune", "allowNamespaces", "allowClusterKinds", "adopt", "pruneNamespaces", "timeZone", "health",
            "controls");
    private static final Set<String> HEALTH_KEYS = Set.of("wait", "scope");
    /** Kubernetes' rule for a label value (apimachinery validation.IsValidLabelValue), non-empty. */
    private static final java.util.regex.Pattern LABEL_VALUE = java.util.regex.Pattern.compile(
            "(?=.{1,63}$)[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    /** The time zone of a schedule that names none. */
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final java.util.regex.Pattern DURATION_PART = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Set<String> IGNORE_KEYS = Set.of("group", "kind", "namespace", "name", "jsonPointers");
    private static final Set<String> NOTIFICATION_KEYS = Set.of("name", "type", "url", "urlFrom", "hmacKeyFrom", "events", "bindings",
            "clusters", "severity", "digest", "timeout", "smtp", "from", "to");
    private static final Set<String> SMTP_KEYS = Set.of("host", "port", "startTLS", "caFile", "username", "usernameFrom", "passwordFrom");

    private ConfigLoader() {
    }

    /** Loads {@code file}; a missing or unreadable file is a {@link ConfigException} too. */
    public static DriftwardenConfig load(Path file) {
        return load(file, CronCheck.NONE);
    }

    /** Reads and validates {@code file}, its cron expressions by {@code cronCheck}. */
    public static DriftwardenConfig load(Path file, CronCheck cronCheck) {
        return load(file, cronCheck, java.time.Clock.systemUTC());
    }

    /** Parses config text; {@code file} names positions and anchors relative kubeconfig paths. */
    public static DriftwardenConfig parse(String content, Path file) {
        return parse(content, file, CronCheck.NONE);
    }

    /** Parses config text, checking its cron expressions with {@code cronCheck}. */
    public static DriftwardenConfig parse(String content, Path file, CronCheck cronCheck) {
        return parse(content, file, cronCheck, java.time.Clock.systemUTC());
    }

    /** Loads {@code file}; {@code clock} gives the day an exception's {@code expires} is measured from. */
    public static DriftwardenConfig load(Path file, CronCheck cronCheck, java.time.Clock clock) {
        String content;
        try {
            content = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(file + ": config file not found"));
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        return parse(content, file, cronCheck, clock);
    }

    /**
     * Parses config text, checking its cron expressions with {@code cronCheck}; an exception may expire at most
     * {@code exceptionPolicy.maxDays} after today by {@code clock} (UTC).
     */
    public static DriftwardenConfig parse(String content, Path file, CronCheck cronCheck, java.time.Clock clock) {
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
                        c.bool("listByLabel", false), maxInFlight(c, name), file + ":" + c.line(null)));
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
            HelmSettings helm = b.has("helm") ? helm(b.section("helm", HELM_KEYS), name, reader, baseDir)
                    : new HelmSettings(name, List.of(), JsonNodeFactory.instance.objectNode());
            if (name != null && reader.unique(bindingLines, name, b.line("name"), "binding")) {
                bindings.add(new BindingSpec(name, source, path, cluster, namespace, mode,
                        b.bool("createNamespace", false), schedule, ignore, driftManagers, helm, b.bool("prune", false), maxPrune,
                        b.strings("allowNamespaces"), b.strings("allowClusterKinds"), b.bool("adopt", false),
                        b.bool("pruneNamespaces", false), controls(b, name), file + ":" + b.line(null),
                        b.has("health") ? health(b.section("health", HEALTH_KEYS), name, reader) : HealthSettings.DEFAULTS));
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
        RunSettings run = top.has("run") ? run(top.section("run", RUN_KEYS)) : RunSettings.DEFAULTS;
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
        List<NotificationTarget> notifications = new ArrayList<>();
        Map<String, Integer> targetLines = new HashMap<>();
        for (Section n : top.has("notifications") ? top.list("notifications", "notification", NOTIFICATION_KEYS) : List.<Section>of()) {
            NotificationTarget target = notification(n, baseDir, bindingLines.keySet(), clusterLines.keySet());
            if (target != null && reader.unique(targetLines, target.name(), n.line("name"), "notification")) {
                notifications.add(target);
            }
        }
        ExceptionRules exceptions = exceptions(top, clock);
        EvidenceSettings evidence = top.has("evidence") ? evidence(top.section("evidence", EVIDENCE_KEYS), baseDir) : EvidenceSettings.NONE;
        if (!reader.problems.isEmpty()) {
            throw new ConfigException(reader.problems);
        }
        return new DriftwardenConfig(file, audit, sources, clusters, bindings, kustomize, denyKinds, limits, windows, webhook, notifications, exceptions,
                evidence, run);
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

    /** {@code clusters[].maxInFlight}: 1 to {@link ClusterSpec#MAX_MAX_IN_FLIGHT}. */
    private static int maxInFlight(Section cluster, String name) {
        long bound = cluster.count("maxInFlight", ClusterSpec.DEFAULT_MAX_IN_FLIGHT);
        if (bound > ClusterSpec.MAX_MAX_IN_FLIGHT) {
            cluster.reader.problem(cluster.line("maxInFlight"), "cluster '" + name + "': maxInFlight must be at most "
                    + ClusterSpec.MAX_MAX_IN_FLIGHT + ", not " + bound);
            return ClusterSpec.DEFAULT_MAX_IN_FLIGHT;
        }
        return (int) bound;
    }

    /** {@code run:}: {@code parallelBindings} from 1 to 1024 when given. */
    private static RunSettings run(Section run) {
        if (!run.has("parallelBindings")) {
            return RunSettings.DEFAULTS;
        }
        long parallel = run.count("parallelBindings", 0);
        if (parallel > 1024) {
            run.reader.problem(run.line("parallelBindings"), "run: 'parallelBindings' must be at most 1024, not " + parallel);
            return RunSettings.DEFAULTS;
        }
        return parallel < 1 ? RunSettings.DEFAULTS : new RunSettings((int) parallel);
    }

    /**
     * {@code exceptionPolicy.maxDays} and {@code exceptions:}: each needs a unique name, a kind, an object name (a glob),
     * paths that parse, a reason, an approver, a ticket and an {@code expires} date at most {@code maxDays} after today
     * (UTC, by {@code clock}). A date already past is valid: the exception is reported expired and covers nothing.
     */
    private static ExceptionRules exceptions(Section top, java.time.Clock clock) {
        int maxDays = ExceptionRules.DEFAULT_MAX_DAYS;
        if (top.has("exceptionPolicy")) {
            maxDays = (int) top.section("exceptionPolicy", EXCEPTION_POLICY_KEYS).count("maxDays", maxDays);
        }
        java.time.LocalDate latest = java.time.LocalDate.now(clock.withZone(java.time.ZoneOffset.UTC)).plusDays(maxDays);
        List<ExceptionSpec> exceptions = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (Section x : top.has("exceptions") ? top.list("exceptions", "exception", EXCEPTION_KEYS) : List.<Section>of()) {
            String name = x.required("name");
            String at = "exception '" + (name == null ? "?" : name) + "': ";
            String kind = required(x, "kind", at);
            String objectName = null;
            if (x.has(OBJECT_NAME) && x.has("objectName")) {
                x.reader.problem(x.line("objectName"), at + "name the object once: a second 'name' or 'objectName', not both");
            } else if (x.has(OBJECT_NAME) || x.has("objectName")) {
                objectName = required(x, x.has(OBJECT_NAME) ? OBJECT_NAME : "objectName", at);
            } else {
                x.reader.problem(x.line(null), at + "missing the object's name: a second 'name' key after kind (a glob: frontend, "
                        + "web-*, or * for every object of the kind), or 'objectName'");
            }
            List<ExceptionSpec.PathPattern> paths = new ArrayList<>();
            if (x.strings("paths").isEmpty()) {
                x.reader.problem(x.line(x.has("paths") ? "paths" : null), at + "paths must list at least one path, as the drift "
                        + "output writes it (spec.replicas) or as a JSON pointer (/spec/replicas)");
            }
            for (String path : x.strings("paths")) {
                try {
                    paths.add(ExceptionSpec.PathPattern.parse(path));
                } catch (IllegalArgumentException e) {
                    x.reader.problem(x.line("paths"), at + "paths: " + e.getMessage());
                }
            }
            String reason = required(x, "reason", at);
            String approvedBy = required(x, "approvedBy", at);
            String ticket = required(x, "ticket", at);
            String expiresText = required(x, "expires", at);
            java.time.LocalDate expires = null;
            if (expiresText != null) {
                try {
                    expires = java.time.LocalDate.parse(expiresText);
                    if (expires.isAfter(latest)) {
                        x.reader.problem(x.line("expires"), at + "expires " + expires + " is more than " + maxDays
                                + " days ahead (at most " + latest + "; exceptionPolicy.maxDays sets the limit)");
                    }
                } catch (java.time.format.DateTimeParseException e) {
                    x.reader.problem(x.line("expires"), at + "expires must be a date such as 2027-01-15, not '" + expiresText + "'");
                }
            }
            Glob binding = glob(x, "binding");
            Glob cluster = glob(x, "cluster");
            Glob namespace = glob(x, "namespace");
            boolean complete = name != null && kind != null && objectName != null && reason != null && approvedBy != null
                    && ticket != null && expires != null && !paths.isEmpty();
            if (name != null && x.reader.unique(names, name, x.line("name"), "exception") && complete) {
                exceptions.add(new ExceptionSpec(name, binding, cluster, namespace, kind, Glob.of(objectName), paths, reason,
                        approvedBy, ticket, expires, x.reader.file + ":" + x.line(null)));
            }
        }
        return new ExceptionRules(maxDays, exceptions);
    }

    /** A key the exception must have, non-empty; the problem names the exception and the key. */
    private static String required(Section section, String key, String at) {
        String value = section.optional(key, null);
        if (!section.has(key)) {
            section.reader.problem(section.line(null), at + "missing required key '" + key + "'");
        } else if (value == null || value.isBlank()) {
            section.reader.problem(section.line(key), at + "'" + key + "' must not be empty");
            return null;
        }
        return value;
    }

    private static Glob glob(Section section, String key) {
        String text = section.optional(key, null);
        if (text != null && text.isBlank()) {
            section.reader.problem(section.line(key), "exception: '" + key + "' must not be empty (leave it out to match any)");
        }
        return text == null || text.isBlank() ? Glob.ANY : Glob.of(text);
    }

    /** A binding's {@code health: {wait, scope}}: wait a duration (absent: read once), scope {@code written} or {@code all}. */
    private static HealthSettings health(Section health, String binding, Reader reader) {
        String scopeText = health.optional("scope", "written");
        HealthSettings.Scope scope = switch (scopeText) {
            case "written" -> HealthSettings.Scope.WRITTEN;
            case "all" -> HealthSettings.Scope.ALL;
            default -> {
                reader.problem(health.line("scope"), "binding '" + binding + "': health.scope must be 'written' or 'all', not '"
                        + scopeText + "'");
                yield HealthSettings.Scope.WRITTEN;
            }
        };
        return new HealthSettings(health.duration("wait", null), scope);
    }

    private static HelmSettings helm(Section helm, String binding, Reader reader, Path baseDir) {
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
        return new HelmSettings(helm.optional("releaseName", binding), valuesFiles, values, remoteChart(helm, binding, baseDir));
    }

    /**
     * The remote chart of {@code helm.repository}, or null when the chart is the binding's Git path. The version must be
     * exact, the digest {@code sha256:} and 64 hex digits, the repository {@code https://}, {@code http://} or
     * {@code oci://} with no credentials in it; files are relative to the config's folder.
     */
    private static RemoteChart remoteChart(Section helm, String binding, Path baseDir) {
        Reader reader = helm.reader;
        String at = "binding '" + binding + "': helm.";
        if (!helm.has("repository")) {
            REMOTE_ONLY_KEYS.stream().filter(helm::has).forEach(key -> reader.problem(helm.line(key), at + key
                    + " is for a remote chart: set helm.repository (https://… or oci://…) too, or remove it"));
            return null;
        }
        String repository = helm.required("repository");
        String chart = helm.required("chart");
        String version = helm.required("version");
        if (repository != null) {
            java.net.URI uri = null;
            try {
                uri = new java.net.URI(repository);
            } catch (java.net.URISyntaxException e) {
                reader.problem(helm.line("repository"), at + "repository '" + repository + "' is not a URL: " + e.getReason());
            }
            if (uri != null && (uri.getScheme() == null || !Set.of("https", "http", "oci").contains(uri.getScheme()) || uri.getHost() == null)) {
                reader.problem(helm.line("repository"), at + "repository must be https://HOST/PATH (a chart repository) or "
                        + "oci://HOST/PATH (an OCI registry), not '" + repository + "'");
            } else if (uri != null && (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || List.of(String.valueOf(uri.getPath()).split("/")).contains(".."))) {
                reader.problem(helm.line("repository"), at + "repository '" + repository + "' may hold no credentials, query, fragment "
                        + "or '..' (credentials go in helm.auth)");
            }
        }
        if (chart != null && (!RemoteChart.CHART_NAME.matcher(chart).matches() || chart.equals("..") || chart.equals("."))) {
            reader.problem(helm.line("chart"), at + "chart '" + chart + "' must be one name of letters, digits, '.', '_' and '-' "
                    + "(the repository's path goes in helm.repository)");
        }
        String versionProblem = RemoteChart.versionProblem(version);
        if (versionProblem != null) {
            reader.problem(helm.line("version"), "binding '" + binding + "': " + versionProblem);
        }
        String digest = helm.optional("digest", null);
        if (digest != null && !RemoteChart.DIGEST.matcher(digest).matches()) {
            reader.problem(helm.line("digest"), at + "digest must be sha256: and 64 lowercase hex digits, not '" + digest + "'");
        }
        Path keyring = null;
        if (helm.has("verify")) {
            String ring = helm.section("verify", VERIFY_KEYS).required("keyring");
            keyring = ring == null ? null : baseDir.resolve(ring).normalize();
        }
        SecretRef username = null;
        SecretRef password = null;
        SecretRef token = null;
        if (helm.has("auth")) {
            Section auth = helm.section("auth", HELM_AUTH_KEYS);
            username = secretRef(auth, "usernameFrom", at + "auth.");
            password = secretRef(auth, "passwordFrom", at + "auth.");
            token = secretRef(auth, "tokenFrom", at + "auth.");
            if (token != null && (password != null || username != null)) {
                reader.problem(auth.line("tokenFrom"), at + "auth.tokenFrom: set tokenFrom or usernameFrom and passwordFrom, not both");
            }
            if ((username == null) != (password == null) && token == null) {
                reader.problem(auth.line(null), at + "auth: usernameFrom and passwordFrom go together");
            }
        }
        String caFile = helm.optional("caFile", null);
        boolean plainHttp = helm.bool("plainHttp", false);
        if (plainHttp && repository != null && !repository.startsWith("oci://")) {
            reader.problem(helm.line("plainHttp"), at + "plainHttp is for oci:// repositories (a chart repository says http:// or https:// "
                    + "in its URL)");
        }
        if (repository == null || chart == null || version == null) {
            return null;
        }
        return new RemoteChart(repository, chart, version, digest, keyring, username, password, token,
                caFile == null ? null : baseDir.resolve(caFile).normalize(), helm.duration("timeout", RemoteChart.DEFAULT_TIMEOUT),
                plainHttp, reader.file + ":" + helm.line(null));
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

    /**
     * One {@code notifications:} entry. Secrets only by reference: a Slack or Teams address is the credential itself, so
     * only {@code urlFrom}; a webhook's or CloudEvents sink's address may be a literal {@code url} (without a password in
     * it) or {@code urlFrom}; {@code file:} references are relative to the config's folder. Null when it is not usable
     * (its problems are recorded).
     */
    private static NotificationTarget notification(Section n, Path baseDir, Set<String> bindingNames, Set<String> clusterNames) {
        String name = n.required("name");
        String at = "notification '" + name + "': ";
        String typeText = n.required("type");
        NotificationTarget.Type type = null;
        if (typeText != null) {
            try {
                type = NotificationTarget.Type.valueOf(typeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                n.reader.problem(n.line("type"), at + "type must be slack, msteams, webhook, cloudevents or email, not '" + typeText + "'");
            }
        }
        SecretRef urlFrom = relative(secretRef(n, "urlFrom", at), baseDir);
        SecretRef hmacKey = relative(secretRef(n, "hmacKeyFrom", at), baseDir);
        String url = n.optional("url", null);
        NotificationTarget.Email email = null;
        if (type != null && type.secretAddress()) {
            if (n.has("url")) {
                n.reader.problem(n.line("url"), at + "url: a " + (type == NotificationTarget.Type.SLACK ? "Slack" : "Microsoft Teams")
                        + " webhook URL is a secret (whoever has it can post): give it by reference, urlFrom: env:NAME or file:PATH");
                url = null;
            } else if (!n.has("urlFrom")) {
                n.reader.problem(n.line(null), at + "missing required key 'urlFrom' (env:NAME or file:PATH holding the webhook URL)");
            }
            if (n.has("hmacKeyFrom")) {
                n.reader.problem(n.line("hmacKeyFrom"), at + "hmacKeyFrom is for webhook and cloudevents targets; " + type.label()
                        + " checks its own URL");
            }
        } else if (type == NotificationTarget.Type.WEBHOOK || type == NotificationTarget.Type.CLOUDEVENTS) {
            if (n.has("url") == n.has("urlFrom")) {
                n.reader.problem(n.line(n.has("url") ? "url" : null), at + "set url (an address that is not a secret) or urlFrom "
                        + "(env:NAME or file:PATH), exactly one");
            }
            if (url != null) {
                String problem = httpUrlProblem(url);
                if (problem != null) {
                    n.reader.problem(n.line("url"), at + "url: " + problem);
                    url = null;
                }
            }
        } else if (type == NotificationTarget.Type.EMAIL) {
            for (String key : List.of("url", "urlFrom", "hmacKeyFrom")) {
                if (n.has(key)) {
                    n.reader.problem(n.line(key), at + key + " is for HTTP targets; an email target has smtp, from and to");
                }
            }
            email = email(n, at, baseDir);
        }
        if (type != null && type != NotificationTarget.Type.EMAIL) {
            for (String key : List.of("smtp", "from", "to")) {
                if (n.has(key)) {
                    n.reader.problem(n.line(key), at + key + " is for email targets");
                }
            }
        }
        java.util.EnumSet<NotificationTarget.Event> events = java.util.EnumSet.allOf(NotificationTarget.Event.class);
        if (n.has("events")) {
            events.clear();
            for (String event : n.strings("events")) {
                try {
                    events.add(NotificationTarget.Event.valueOf(event.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    n.reader.problem(n.line("events"), at + "events: unknown event '" + event
                            + "' (known: drift, corrected, failed, refused, health, prune)");
                }
            }
            if (n.strings("events").isEmpty()) {
                n.reader.problem(n.line("events"), at + "events must list at least one of drift, corrected, failed, refused, health, prune");
            }
        }
        List<String> bindings = n.strings("bindings");
        List<String> clusters = n.strings("clusters");
        bindings.stream().filter(b -> !b.contains("*") && !b.contains("?") && !bindingNames.contains(b))
                .forEach(b -> n.reader.problem(n.line("bindings"), at + "bindings: no binding named '" + b + "'"));
        clusters.stream().filter(c -> !c.contains("*") && !c.contains("?") && !clusterNames.contains(c))
                .forEach(c -> n.reader.problem(n.line("clusters"), at + "clusters: no cluster named '" + c + "'"));
        NotificationTarget.Severity severity = choice(n, "severity", NotificationTarget.Severity.class, NotificationTarget.Severity.INFO, at);
        NotificationTarget.Digest digest = choice(n, "digest", NotificationTarget.Digest.class, NotificationTarget.Digest.RUN, at);
        java.time.Duration timeout = n.duration("timeout", NotificationTarget.DEFAULT_TIMEOUT);
        if (name == null || type == null || (type == NotificationTarget.Type.EMAIL ? email == null : url == null && urlFrom == null)) {
            return null;
        }
        return new NotificationTarget(name, type, url, urlFrom, hmacKey, events, bindings, clusters, severity, digest, timeout, email,
                n.reader.file + ":" + n.line(null));
    }

    /** The SMTP settings of an email target: host, from and at least one recipient required; STARTTLS unless told otherwise. */
    private static NotificationTarget.Email email(Section n, String at, Path baseDir) {
        if (!n.has("smtp")) {
            n.reader.problem(n.line(null), at + "missing required key 'smtp' (host, port, startTLS, caFile, username(From), passwordFrom)");
            return null;
        }
        Section smtp = n.section("smtp", SMTP_KEYS);
        String host = smtp.required("host");
        boolean startTls = smtp.bool("startTLS", true);
        long port = smtp.count("port", 587);
        if (port > 65535) {
            n.reader.problem(smtp.line("port"), at + "smtp.port must be at most 65535, not " + port);
        }
        if (smtp.has("username") && smtp.has("usernameFrom")) {
            n.reader.problem(smtp.line("usernameFrom"), at + "smtp: set username or usernameFrom, not both");
        }
        SecretRef usernameFrom = relative(secretRef(smtp, "usernameFrom", at + "smtp."), baseDir);
        SecretRef passwordFrom = relative(secretRef(smtp, "passwordFrom", at + "smtp."), baseDir);
        if (smtp.has("passwordFrom") && !smtp.has("username") && !smtp.has("usernameFrom")) {
            n.reader.problem(smtp.line("passwordFrom"), at + "smtp.passwordFrom needs a username (username or usernameFrom)");
        }
        if (smtp.has("password")) {
            n.reader.problem(smtp.line("password"), at + "smtp: a password only by reference, passwordFrom: env:NAME or file:PATH");
        }
        String from = n.required("from");
        List<String> to = n.has("to") && n.entries.get("to").getValueNode() instanceof ScalarNode ? List.of(n.optional("to", ""))
                : n.strings("to");
        if (to.isEmpty() || to.stream().anyMatch(String::isBlank)) {
            n.reader.problem(n.line(n.has("to") ? "to" : null), at + "to must name at least one recipient address");
        }
        for (String address : concat(from, to)) {
            if (!address.matches("[^@\\s<>]+@[^@\\s<>]+")) {
                n.reader.problem(n.line(address.equals(from) ? "from" : "to"), at + "'" + address + "' is not an e-mail address (name@host)");
            }
        }
        if (host == null || from == null || to.isEmpty()) {
            return null;
        }
        String caFile = smtp.optional("caFile", null);
        if (caFile != null && !startTls) {
            n.reader.problem(smtp.line("caFile"), at + "smtp.caFile is the CA for STARTTLS; it needs startTLS: true");
        }
        return new NotificationTarget.Email(host, (int) port, startTls, smtp.optional("username", null), usernameFrom, passwordFrom, from, to,
                caFile == null ? null : baseDir.resolve(caFile).normalize());
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        if (first != null) {
            all.add(first);
        }
        all.addAll(rest);
        return all;
    }

    /** Why {@code url} is no address a notification may be sent to in the clear, or null: http(s), a host, no password. */
    private static String httpUrlProblem(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            return "'" + url + "' is not a URL";
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http")) || uri.getHost() == null) {
            return "must be an http:// or https:// URL with a host";
        }
        if (uri.getRawUserInfo() != null) {
            return "a URL with credentials in it is a secret: give it by reference, urlFrom: env:NAME or file:PATH";
        }
        return null;
    }

    private static <E extends Enum<E>> E choice(Section n, String key, Class<E> type, E fallback, String at) {
        String text = n.optional(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            n.reader.problem(n.line(key), at + key + " must be " + String.join(" or ", java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()) + ", not '" + text + "'");
            return fallback;
        }
    }

    /** A {@code file:} reference relative to the config's folder; {@code env:} as it is. */
    private static SecretRef relative(SecretRef ref, Path baseDir) {
        if (ref == null || !ref.scheme().equals("file")) {
            return ref;
        }
        return new SecretRef("file", baseDir.resolve(ref.target()).normalize().toString(), ref.origin());
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
                if (what.equals("exception") && key.equals("name") && entries.containsKey("name")
                        && entries.putIfAbsent(OBJECT_NAME, tuple) == null) {
                    continue; // an exception's second name is its object's (the shape)
                }
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
