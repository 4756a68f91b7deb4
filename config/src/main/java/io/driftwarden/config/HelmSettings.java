package io.driftwarden.config;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a binding's Helm chart is rendered: the release name (the binding's name unless set), values files relative to
 * the chart's folder (inside the repository), and inline values, given after the files.
 */
public record HelmSettings(String releaseName, List<String> valuesFiles, ObjectNode values) {

    public HelmSettings {
        valuesFiles = List.copyOf(valuesFiles);
        values = values.deepCopy();
    }

    @Override
    public ObjectNode values() {
        return values.deepCopy();
    }
}
