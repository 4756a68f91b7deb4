package io.driftwarden.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a config needs from the machine it runs on, checked before anything is contacted: each cluster's kubeconfig
 * exists and has the context named (or a current-context), each source's credentials and key files exist, and the
 * audit password's variable or file exists; for the daemon, each webhook secret's too (an unset one would leave a
 * provider's endpoint refusing every push, unnoticed), and each notification target's. A mistyped {@code context:} must never fall back to another
 * cluster. Problems read {@code file:line: message}.
 */
public final class EnvironmentCheck {

    private EnvironmentCheck() {
    }

    /** The problems of the whole config as the daemon ({@code schedule}) needs it: every binding's, and the webhook's. */
    public static List<String> daemonProblems(DriftwardenConfig config) {
        List<String> problems = new ArrayList<>(problems(config, config.bindings()));
        WebhookSettings webhook = config.webhook();
        Map<String, SecretRef> secrets = new java.util.LinkedHashMap<>();
        secrets.put("webhook.githubSecretFrom", webhook.githubSecret());
        secrets.put("webhook.gitlabTokenFrom", webhook.gitlabToken());
        secrets.put("webhook.hmacSecretFrom", webhook.hmacSecret());
        secrets.forEach((key, secret) -> {
            if (secret == null) {
                return;
            }
            try {
                if (secret.resolve().isEmpty()) {
                    problems.add(secret.origin() + ": " + key + ": " + secret + " is empty");
                }
            } catch (RuntimeException e) {
                problems.add(secret.origin() + ": " + key + ": " + e.getMessage());
            }
        });
        problems.addAll(notificationProblems(config));
        return problems;
    }

    /**
     * Each notification target's secrets resolve (its address, HMAC key, SMTP login) and are not empty, and an address
     * given by reference is an http(s) URL. A problem names the reference and its line, never the value.
     */
    public static List<String> notificationProblems(DriftwardenConfig config) {
        List<String> problems = new ArrayList<>();
        for (NotificationTarget target : config.notifications()) {
            String at = "notification '" + target.name() + "': ";
            Map<String, SecretRef> secrets = new java.util.LinkedHashMap<>();
            secrets.put("urlFrom", target.urlFrom());
            secrets.put("hmacKeyFrom", target.hmacKey());
            if (target.email() != null) {
                secrets.put("smtp.usernameFrom", target.email().usernameFrom());
                secrets.put("smtp.passwordFrom", target.email().passwordFrom());
                Path caFile = target.email().caFile();
                if (caFile != null && !Files.isReadable(caFile)) {
                    problems.add(target.origin() + ": " + at + "smtp.caFile: " + caFile + " does not exist or cannot be read");
                }
            }
            secrets.forEach((key, secret) -> {
                if (secret == null) {
                    return;
                }
                String value;
                try {
                    value = secret.resolve();
                } catch (RuntimeException e) {
                    problems.add(secret.origin() + ": " + at + key + ": " + e.getMessage());
                    return;
                }
                if (value.isEmpty()) {
                    problems.add(secret.origin() + ": " + at + key + ": " + secret + " is empty");
                } else if (key.equals("urlFrom") && !value.matches("https?://[^\\s/]+(/\\S*)?")) {
                    problems.add(secret.origin() + ": " + at + key + ": " + secret + " does not hold an http:// or https:// URL");
                }
            });
        }
        return problems;
    }

    /** The problems for the clusters the given bindings use, and the audit store. */
    public static List<String> problems(DriftwardenConfig config, Collection<BindingSpec> bindings) {
        List<String> problems = new ArrayList<>();
        Set<String> clusters = new LinkedHashSet<>();
        bindings.forEach(b -> clusters.add(b.cluster()));
        for (String name : clusters) {
            ClusterSpec cluster = config.cluster(name);
            if (!cluster.inCluster()) {
                kubeconfig(cluster, problems);
            }
        }
        Set<String> sources = new LinkedHashSet<>();
        bindings.forEach(b -> sources.add(b.source()));
        for (String name : sources) {
            source(config.source(name), problems);
        }
        SecretRef password = config.audit().password();
        if (password != null) {
            try {
                password.resolve();
            } catch (RuntimeException e) {
                problems.add(password.origin() + ": audit.passwordFrom: " + e.getMessage());
            }
        }
        CheckpointSettings checkpoints = config.audit().checkpoints();
        if (checkpoints != null) {
            try {
                checkpoints.signingKey().resolve();
            } catch (RuntimeException e) {
                problems.add(checkpoints.signingKey().origin() + ": audit.checkpoints.signingKeyFrom: " + e.getMessage());
            }
        }
        return problems;
    }

    /** A source's secrets resolve and its key, CA, known_hosts and keyring files can be read. */
    private static void source(SourceSpec source, List<String> problems) {
        String at = source.origin() + ": source '" + source.name() + "': ";
        GitAuth auth = source.auth();
        if (auth.secret() != null) {
            try {
                auth.secret().resolve();
            } catch (RuntimeException e) {
                problems.add(auth.secret().origin() + ": source '" + source.name() + "': " + e.getMessage());
            }
        }
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        files.put("auth.caFile", auth.caFile());
        files.put("auth.sshKeyFrom", auth.sshKey());
        files.put("auth.knownHosts", auth.knownHosts());
        files.put("verify.keyring", source.keyring());
        files.forEach((key, file) -> {
            if (file != null && !Files.isReadable(file)) {
                problems.add(at + key + ": " + file + " does not exist or cannot be read");
            }
        });
    }

    private static void kubeconfig(ClusterSpec cluster, List<String> problems) {
        String at = cluster.origin() + ": cluster '" + cluster.name() + "': ";
        Path file = cluster.kubeconfig();
        if (!Files.isReadable(file)) {
            problems.add(at + "kubeconfig " + file + " does not exist or cannot be read");
            return;
        }
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            problems.add(at + "kubeconfig " + file + " cannot be read as YAML: " + e.getMessage());
            return;
        }
        Map<?, ?> kubeconfig = loaded instanceof Map<?, ?> map ? map : Map.of();
        Set<String> contexts = new LinkedHashSet<>();
        if (kubeconfig.get("contexts") instanceof List<?> list) {
            for (Object context : list) {
                if (context instanceof Map<?, ?> entry && entry.get("name") != null) {
                    contexts.add(String.valueOf(entry.get("name")));
                }
            }
        }
        String wanted = cluster.context();
        if (wanted == null) {
            Object current = kubeconfig.get("current-context");
            if (current == null || String.valueOf(current).isBlank()) {
                problems.add(at + "no context: set context: (kubeconfig " + file + " has no current-context)");
            } else if (!contexts.contains(String.valueOf(current))) {
                problems.add(at + "the current-context '" + current + "' of kubeconfig " + file + " is not one of its contexts");
            }
        } else if (!contexts.contains(wanted)) {
            problems.add(at + "context '" + wanted + "' is not in kubeconfig " + file + " (it has: " + String.join(", ", contexts)
                    + "); nothing was contacted");
        }
    }
}
