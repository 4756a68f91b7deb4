package io.driftwarden.config;

import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/** A validated {@code driftwarden.yaml}: every reference between its parts resolves. */
public record DriftwardenConfig(
        Path file, AuditSettings audit, List<SourceSpec> sources, List<ClusterSpec> clusters, List<BindingSpec> bindings) {

    public DriftwardenConfig {
        sources = List.copyOf(sources);
        clusters = List.copyOf(clusters);
        bindings = List.copyOf(bindings);
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
