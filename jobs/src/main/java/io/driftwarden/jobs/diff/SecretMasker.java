package io.driftwarden.jobs.diff;

import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Keeps Secret values out of everything shown: diffs, errors, audit rows, reports, logs. A Secret's
 * {@code data}, {@code stringData} and annotations (which can carry a copy of the object, as
 * {@code kubectl.kubernetes.io/last-applied-configuration} does) are never printed.
 */
public final class SecretMasker {

    /** What a masked value prints as. */
    public static final String MASK = "***";

    private SecretMasker() {
    }

    public static boolean isSecret(ResourceKey key) {
        return key.group().isEmpty() && key.kind().equals("Secret");
    }

    /** Whether a value at this path of this object must be masked. */
    static boolean masks(ResourceKey key, List<String> path) {
        if (!isSecret(key)) {
            return false;
        }
        String first = path.isEmpty() ? "" : path.get(0);
        return path.isEmpty() || first.equals("data") || first.equals("stringData")
                || (first.equals("metadata") && (path.size() == 1 || path.get(1).equals("annotations")));
    }

    /**
     * Removes every Secret value of {@code desired} (and of the live copy, if any) from {@code text} — plain,
     * base64 and decoded — for error messages that come back from an API server.
     */
    public static String scrub(String text, DesiredObject desired, JsonNode live) {
        if (text == null || !isSecret(desired.key())) {
            return text;
        }
        List<String> values = new ArrayList<>();
        collect(desired.manifest(), values);
        if (live != null) {
            collect(live, values);
        }
        values.sort(Comparator.comparingInt(String::length).reversed());
        String clean = text;
        for (String value : values) {
            if (value.length() >= 3) {
                clean = clean.replace(value, MASK);
            }
        }
        return clean;
    }

    private static void collect(JsonNode secret, List<String> values) {
        for (String field : List.of("data", "stringData")) {
            JsonNode map = secret.path(field);
            for (Map.Entry<String, JsonNode> entry : map.properties()) {
                if (!entry.getValue().isString()) {
                    continue;
                }
                String value = entry.getValue().asString();
                values.add(value);
                if (field.equals("data")) {
                    try {
                        values.add(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException notBase64) {
                        // a malformed value is still masked as written
                    }
                } else {
                    values.add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        for (Map.Entry<String, JsonNode> annotation : secret.path("metadata").path("annotations").properties()) {
            values.add(annotation.getValue().asString(""));
        }
    }
}
