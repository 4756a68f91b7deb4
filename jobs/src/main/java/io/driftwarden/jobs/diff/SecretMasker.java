package io.driftwarden.jobs.diff;

import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import java.net.URLEncoder;
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
     * Removes every Secret value of {@code desired} (and of the live copy, if any) from {@code text}, in every form an
     * error message can carry it: as written, base64 (standard, URL-safe, wrapped), JSON-escaped (as Java and as Go
     * write it, also escaped twice), YAML single-quoted, URL-encoded, and line by line. A value shorter than 3
     * characters is removed only where it stands quoted whole ({@code "ab"}): bare, it would take ordinary words with it.
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
        return scrub(text, values);
    }

    /** Removes each of {@code plainValues} (decoded), in all its forms, from {@code text}. */
    public static String scrub(String text, List<String> plainValues) {
        List<String> forms = new ArrayList<>();
        for (String value : plainValues) {
            if (value.length() >= 3) {
                forms.addAll(encodings(value));
            } else if (!value.isEmpty()) {
                forms.add("\"" + jsonEscaped(value, false) + "\"");
                forms.add("\\\"" + jsonEscaped(jsonEscaped(value, false), false) + "\\\"");
            }
        }
        forms.sort(Comparator.comparingInt(String::length).reversed());
        String clean = text;
        for (String form : forms) {
            if (!form.isEmpty()) {
                clean = clean.replace(form, MASK);
            }
        }
        return clean;
    }

    private static List<String> encodings(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        List<String> forms = new ArrayList<>(List.of(value,
                Base64.getEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().encodeToString(bytes),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                jsonEscaped(value, false), jsonEscaped(value, true),
                jsonEscaped(jsonEscaped(value, false), false), jsonEscaped(jsonEscaped(value, true), false),
                value.replace("'", "''"),
                URLEncoder.encode(value, StandardCharsets.UTF_8),
                URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        String wrapped = Base64.getMimeEncoder().encodeToString(bytes);
        for (String line : (value + "\n" + wrapped).split("\r?\n")) {
            if (line.length() >= 3) {
                forms.add(line);
            }
        }
        return forms;
    }

    /** A JSON string's content as Java's Jackson writes it, or as Go's encoding/json does (which also escapes {@code <>&}). */
    static String jsonEscaped(String value, boolean go) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || go && (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029')) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
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
                }
            }
        }
        for (Map.Entry<String, JsonNode> annotation : secret.path("metadata").path("annotations").properties()) {
            values.add(annotation.getValue().asString(""));
        }
    }
}
