package io.driftwarden.jobs.chart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A chart's {@code Chart.lock} checked against its {@code Chart.yaml} as {@code helm dependency build} checks it: the
 * lock's {@code digest} must be Helm's {@code resolver.HashReq} of the two dependency lists — {@code sha256:} and the
 * SHA-256 of Go's {@code json.Marshal([2][]*chart.Dependency{req, lock})} — or the lock is out of sync. Pure functions.
 */
public final class ChartLock {

    /** One locked dependency: the exact version and the repository it was resolved from. */
    public record Locked(String name, String version, String repository) {
    }

    private ChartLock() {
    }

    /** Helm's digest of the dependencies {@code required} (Chart.yaml's) and {@code locked} (Chart.lock's), each a YAML list or null. */
    public static String hashReq(List<?> required, List<?> locked) {
        String json = "[" + dependencies(required) + "," + dependencies(locked) + "]";
        return "sha256:" + ChartCache.sha256(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The locked dependencies of {@code lockYaml}, after checking its digest against {@code required} (Chart.yaml's
     * {@code dependencies}); a {@link ChartRefusedException} when it is out of sync or not a lock.
     */
    public static List<Locked> check(List<?> required, String lockYaml, String what) {
        Map<?, ?> lock = yaml(lockYaml, what);
        List<?> locked = lock.get("dependencies") instanceof List<?> list ? list : null;
        String expected = hashReq(required, locked);
        if (!expected.equals(String.valueOf(lock.get("digest")))) {
            throw new ChartRefusedException(what + ": Chart.lock is out of sync with the dependencies in Chart.yaml (its digest is "
                    + lock.get("digest") + ", Chart.yaml and the lock give " + expected + "), as helm dependency build refuses it");
        }
        List<Locked> result = new ArrayList<>();
        for (Object item : locked == null ? List.of() : locked) {
            if (item instanceof Map<?, ?> dependency) {
                result.add(new Locked(text(dependency.get("name")), text(dependency.get("version")), text(dependency.get("repository"))));
            }
        }
        return result;
    }

    static Map<?, ?> yaml(String text, String what) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(1 << 20);
        try {
            Object loaded = new Yaml(new SafeConstructor(options)).load(text);
            return loaded instanceof Map<?, ?> map ? map : Map.of();
        } catch (RuntimeException e) {
            throw new ChartRefusedException(what + ": does not parse: " + e.getMessage());
        }
    }

    /** A dependency list as Go marshals {@code []*chart.Dependency}: {@code null} when absent, fields in struct order. */
    private static String dependencies(List<?> list) {
        if (list == null) {
            return "null";
        }
        List<String> items = new ArrayList<>();
        for (Object item : list) {
            Map<?, ?> d = item instanceof Map<?, ?> map ? map : Map.of();
            StringBuilder json = new StringBuilder("{\"name\":").append(string(text(d.get("name"))));
            if (!text(d.get("version")).isEmpty()) {
                json.append(",\"version\":").append(string(text(d.get("version"))));
            }
            json.append(",\"repository\":").append(string(text(d.get("repository"))));
            if (!text(d.get("condition")).isEmpty()) {
                json.append(",\"condition\":").append(string(text(d.get("condition"))));
            }
            if (d.get("tags") instanceof List<?> tags && !tags.isEmpty()) {
                json.append(",\"tags\":").append(value(tags));
            }
            if (Boolean.TRUE.equals(d.get("enabled"))) {
                json.append(",\"enabled\":true");
            }
            if (d.get("import-values") instanceof List<?> imports && !imports.isEmpty()) {
                json.append(",\"import-values\":").append(value(imports));
            }
            if (!text(d.get("alias")).isEmpty()) {
                json.append(",\"alias\":").append(string(text(d.get("alias"))));
            }
            items.add(json.append('}').toString());
        }
        return "[" + String.join(",", items) + "]";
    }

    /** Any YAML value as Go's encoding/json writes an {@code interface{}}: maps with sorted keys. */
    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?> map) {
            List<String> fields = new ArrayList<>();
            new TreeMap<>(map.entrySet().stream().collect(java.util.stream.Collectors.toMap(e -> String.valueOf(e.getKey()), Map.Entry::getValue)))
                    .forEach((k, v) -> fields.add(string(k) + ":" + value(v)));
            return "{" + String.join(",", fields) + "}";
        }
        if (value instanceof List<?> list) {
            return "[" + String.join(",", list.stream().map(ChartLock::value).toList()) + "]";
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            return String.valueOf(value);
        }
        return string(String.valueOf(value));
    }

    /** A JSON string as Go writes one: {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped too. */
    static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
