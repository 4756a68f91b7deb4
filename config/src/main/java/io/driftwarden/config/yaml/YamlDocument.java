package io.driftwarden.config.yaml;

import tools.jackson.databind.JsonNode;

/** One document of a YAML (or JSON) file as a Jackson tree, with the file and the line it starts on. */
public record YamlDocument(JsonNode tree, String file, int line) {

    /** {@code file:line}, the origin every error and report names. */
    public String origin() {
        return file + ":" + line;
    }
}
