package io.driftwarden.config;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a binding's Helm chart is rendered: the release name (the binding's name unless set), values files relative to
 * the chart's folder (inside the repository) — or, for a {@code remote} chart, relative to the binding's path — and
 * inline values, given after the files. {@code remote} is null when the chart is the binding's Git path.
 */
public record HelmSettings(String releaseName, List<String> valuesFiles, ObjectNode values, RemoteChart remote) {

    public HelmSettings {
        valuesFiles = List.copyOf(valuesFiles);
        values = values.deepCopy();
    }

    /** Settings for a chart that sits in the binding's Git path. */
    public HelmSettings(String releaseName, List<String> valuesFiles, ObjectNode values) {
        this(releaseName, valuesFiles, values, null);
    }

    @Override
    public ObjectNode values() {
        return values.deepCopy();
    }
}
