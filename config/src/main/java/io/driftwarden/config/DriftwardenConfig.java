package io.driftwarden.config;

import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A validated {@code driftwarden.yaml}: every reference between its parts resolves. {@code kustomizeCommand} is the
 * command that renders a kustomization (the directory is appended); empty means {@code kustomize build}, or
 * {@code kubectl kustomize} when no kustomize is on PATH. {@code denyKinds} are kinds no binding may write.
 * {@code limits} bound what is read from Git. {@code windows} are the sync windows, in config order. {@code webhook}
 * is the daemon's push endpoint. {@code notifications} are where each run's digest is sent, in config order. {@code exceptions} are the approved exceptions and their policy. {@code evidence} signs evidence
 * bundles ({@link EvidenceSettings#NONE} when not set).
 * {@code run} is how a run spreads its bindings ({@code run.parallelBindings}).
 */
public record DriftwardenConfig(
        Path file, AuditSettings audit, List<SourceSpec> sources, List<ClusterSpec> clusters, List<BindingSpec> bindings,
        List<String> kustomizeCommand, List<String> denyKinds, InputLimits limits, List<SyncWindow> windows, WebhookSettings webhook,
        List<NotificationTarget> notifications, ExceptionRules exceptions, EvidenceSettings evidence, RunSettings run) {

    /** Kinds no binding may write unless the config says otherwise (and a binding to cluster-admin never). */
    public static final List<String> DEFAULT_DENY_KINDS = List.of("ClusterRole", "ClusterRoleBinding");

    public DriftwardenConfig {
        kustomizeCommand = List.copyOf(kustomizeCommand);
        denyKinds = List.copyOf(denyKinds);
        windows = List.copyOf(windows);
        sources = List.copyOf(sources);
        clusters = List.copyOf(clusters);
        bindings = List.copyOf(bindings);
        notifications = List.copyOf(notifications);
        exceptions = exceptions == null ? ExceptionRules.NONE : exceptions;
        evidence = evidence == null ? EvidenceSettings.NONE : evidence;
        run = run == null ? RunSettings.DEFAULTS : run;
    }

    /** Each control id the bindings name, sorted, with the names of the bindings that evidence it, sorted. */
    public java.util.SortedMap<String, List<String>> controls() {
        java.util.SortedMap<String, List<String>> controls = new java.util.TreeMap<>();
        for (BindingSpec binding : bindings) {
            for (String control : binding.controls()) {
                controls.computeIfAbsent(control, k -> new java.util.ArrayList<>()).add(binding.name());
            }
        }
        controls.replaceAll((control, names) -> names.stream().sorted().toList());
        return controls;
    }

    /** A config without {@code evidence:} and {@code run:} sections. */
    public DriftwardenConfig(Path file, AuditSettings audit, List<SourceSpec> sources, List<ClusterSpec> clusters, List<BindingSpec> bindings,
                             List<String> kustomizeCommand, List<String> denyKinds, InputLimits limits, List<SyncWindow> windows,
                             WebhookSettings webhook, List<NotificationTarget> notifications, ExceptionRules exceptions) {
        this(file, audit, sources, clusters, bindings, kustomizeCommand, denyKinds, limits, windows, webhook, notifications, exceptions, null, null);
    }

    /** Bindings reconciled at once by a run of this config on {@code cores} processors ({@link RunSettings}). */
    public int parallelBindings(int cores) {
        return run.parallelBindings(clusters.size(), cores);
    }

    public SourceSpec source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no source named " + name));
    }

    public ClusterSpec cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no cluster named " + name));
    }

    public BindingSpec binding(String name) {
        return bindings.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no binding named " + name));
    }
}
