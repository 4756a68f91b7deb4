package io.driftwarden.jobs.diff;

import io.driftwarden.config.IgnoreRule;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compares desired objects with live ones (rule 1 of DESIGN.md: every field Git sets). A field or list element
 * present only live is not drift here: servers, controllers and admission add those.
 */
public final class Differ {

    /** Metadata the API server owns; never compared. */
    private static final Set<String> SERVER_METADATA = Set.of("uid", "resourceVersion", "generation",
            "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds");
    /** List fields whose elements are matched by a key, as strategic merge patch does; first candidate present wins. */
    private static final Map<String, List<String>> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", List.of("name")), Map.entry("initContainers", List.of("name")),
            Map.entry("ephemeralContainers", List.of("name")), Map.entry("env", List.of("name")),
            Map.entry("ports", List.of("containerPort", "port", "name")), Map.entry("volumes", List.of("name")),
            Map.entry("volumeMounts", List.of("mountPath")), Map.entry("volumeDevices", List.of("devicePath")),
            Map.entry("imagePullSecrets", List.of("name")), Map.entry("hostAliases", List.of("ip")),
            Map.entry("conditions", List.of("type")), Map.entry("resourceClaims", List.of("name")),
            Map.entry("topologySpreadConstraints", List.of("topologyKey")));
    /** Path segments under which values are resource quantities. */
    private static final Set<String> QUANTITY_PARENTS = Set.of("limits", "requests", "capacity", "allocatable",
            "hard", "used", "sizeLimit", "overhead", "storage");
    private static final int SHOWN_VALUE_LENGTH = 200;

    /** Compares each desired object with its live counterpart (absent from {@code live} = missing). */
    public List<Drift> diff(List<DesiredObject> desired, Map<ResourceKey, JsonNode> live, List<IgnoreRule> ignore) {
        Normalizer normalizer = new SecretDataNormalizer().andThen(new IgnoreNormalizer(ignore));
        List<Drift> drifts = new ArrayList<>(desired.size());
        for (DesiredObject object : desired) {
            drifts.add(diff(object, live.get(object.key()), normalizer));
        }
        return drifts;
    }

    /** Compares one desired object with the live one (null when the cluster does not have it). */
    public Drift diff(DesiredObject desired, JsonNode live, Normalizer normalizer) {
        if (live == null) {
            return new Drift(desired, DriftType.MISSING, List.of(),
                    "+ " + desired.key().subject() + " does not exist in the cluster (declared at " + desired.origin() + ")");
        }
        JsonNode want = normalizer.normalize(desired.key(), desired.manifest().deepCopy());
        JsonNode have = normalizer.normalize(desired.key(), live.deepCopy());
        List<Difference> differences = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : want.properties()) {
            String name = field.getKey();
            if (name.equals("status") || name.equals("apiVersion") || name.equals("kind")) {
                continue;
            }
            if (name.equals("metadata")) {
                compareMetadata(field.getValue(), have.get("metadata"), differences);
            } else {
                compare(field.getValue(), have.get(name), new Path().with(name), differences);
            }
        }
        if (differences.isEmpty()) {
            return new Drift(desired, DriftType.IN_SYNC, List.of(), "");
        }
        List<String> paths = differences.stream().map(d -> d.path().render()).toList();
        StringBuilder text = new StringBuilder();
        for (Difference difference : differences) {
            boolean masked = SecretMasker.masks(desired.key(), difference.path().names());
            text.append("~ ").append(difference.path().render()).append(": ")
                    .append(show(difference.live(), masked)).append(" -> ").append(show(difference.desired(), masked))
                    .append('\n');
        }
        return new Drift(desired, DriftType.MODIFIED, paths, text.toString().stripTrailing());
    }

    private void compareMetadata(JsonNode want, JsonNode have, List<Difference> out) {
        Path metadata = new Path().with("metadata");
        if (!(want instanceof ObjectNode wantObject)) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : wantObject.properties()) {
            String name = field.getKey();
            if (SERVER_METADATA.contains(name) || name.equals("name") || name.equals("namespace")) {
                continue;
            }
            compare(field.getValue(), have == null ? null : have.get(name), metadata.with(name), out);
        }
    }

    private void compare(JsonNode want, JsonNode have, Path path, List<Difference> out) {
        if (isEmpty(want) && isEmpty(have)) {
            return;
        }
        if (want.isObject()) {
            if (have != null && !have.isObject() && !have.isNull()) {
                out.add(new Difference(path, want, have));
                return;
            }
            for (Map.Entry<String, JsonNode> field : want.properties()) {
                compare(field.getValue(), have == null ? null : have.get(field.getKey()), path.with(field.getKey()), out);
            }
        } else if (want.isArray()) {
            compareList(want, have, path, out);
        } else if (!sameScalar(want, have, path)) {
            out.add(new Difference(path, want, have));
        }
    }

    private void compareList(JsonNode want, JsonNode have, Path path, List<Difference> out) {
        if (have == null || !have.isArray()) {
            out.add(new Difference(path, want, have));
            return;
        }
        String mergeKey = mergeKey(path.last(), want);
        if (mergeKey == null) {
            if (want.size() != have.size()) {
                out.add(new Difference(path, want, have));
                return;
            }
            for (int i = 0; i < want.size(); i++) {
                compare(want.get(i), have.get(i), path.index(i), out);
            }
            return;
        }
        for (JsonNode element : want) {
            String key = scalarText(element.get(mergeKey));
            JsonNode match = null;
            for (JsonNode candidate : have) {
                if (key.equals(scalarText(candidate.get(mergeKey)))) {
                    match = candidate;
                    break;
                }
            }
            Path elementPath = path.key(mergeKey, key);
            if (match == null) {
                out.add(new Difference(elementPath, element, null));
            } else {
                compare(element, match, elementPath, out);
            }
        }
    }

    /** The merge key for a list field when every desired element is an object carrying it, else null (atomic list). */
    private static String mergeKey(String field, JsonNode want) {
        for (String candidate : MERGE_KEYS.getOrDefault(field, List.of())) {
            boolean everyElement = want.size() > 0;
            for (JsonNode element : want) {
                everyElement &= element.isObject() && element.has(candidate) && element.get(candidate).isValueNode();
            }
            if (everyElement) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean sameScalar(JsonNode want, JsonNode have, Path path) {
        if (have == null || have.isNull()) {
            return isZero(want);
        }
        if (!have.isValueNode()) {
            return false;
        }
        String wantText = scalarText(want);
        String haveText = scalarText(have);
        if (wantText.equals(haveText) && want.isBoolean() == have.isBoolean()) {
            return true;
        }
        if (path.within(QUANTITY_PARENTS)) {
            BigDecimal a = Quantities.parse(wantText);
            BigDecimal b = Quantities.parse(haveText);
            return a != null && b != null && a.compareTo(b) == 0;
        }
        return false;
    }

    /** Text of a scalar with numbers in canonical form, so {@code 8080} (int) equals {@code "8080"} (int-or-string) and 1.0 equals 1. */
    private static String scalarText(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isNumber()) {
            BigDecimal number = node.decimalValue().stripTrailingZeros();
            return number.scale() < 0 ? number.setScale(0).toPlainString() : number.toPlainString();
        }
        return node.asString("");
    }

    /** null, absent, "", [] and {} mean the same to the API server. */
    private static boolean isEmpty(JsonNode node) {
        return node == null || node.isNull() || (node.isString() && node.asString().isEmpty())
                || (node.isContainer() && node.isEmpty());
    }

    /** Zero values the API server omits when it stores an object ({@code false}, {@code 0}, {@code ""}). */
    private static boolean isZero(JsonNode node) {
        return isEmpty(node) || (node.isBoolean() && !node.booleanValue())
                || (node.isNumber() && node.decimalValue().signum() == 0);
    }

    private static String show(JsonNode value, boolean masked) {
        if (value == null || value.isNull()) {
            return "(absent)";
        }
        if (masked) {
            return SecretMasker.MASK;
        }
        String text = value.isString() ? '"' + value.asString() + '"' : value.toString();
        return text.length() > SHOWN_VALUE_LENGTH ? text.substring(0, SHOWN_VALUE_LENGTH) + "…" : text;
    }

    private record Difference(Path path, JsonNode desired, JsonNode live) {
    }

    /** A path into an object: field names, list indexes, and merge-key selectors. */
    private record Path(List<String> names, List<String> rendered) {

        Path() {
            this(List.of(), List.of());
        }

        Path with(String field) {
            boolean plain = field.matches("[A-Za-z0-9_-]+");
            return append(field, plain ? field : "[\"" + field + "\"]", plain);
        }

        Path index(int i) {
            return append(String.valueOf(i), "[" + i + "]", false);
        }

        Path key(String key, String value) {
            return append(value, "[" + key + "=" + value + "]", false);
        }

        String last() {
            return names.isEmpty() ? "" : names.get(names.size() - 1);
        }

        boolean within(Set<String> parents) {
            return names.stream().anyMatch(parents::contains);
        }

        String render() {
            return String.join("", rendered);
        }

        private Path append(String name, String text, boolean dotted) {
            List<String> newNames = new ArrayList<>(names);
            newNames.add(name);
            List<String> newRendered = new ArrayList<>(rendered);
            newRendered.add(dotted && !rendered.isEmpty() ? "." + text : text);
            return new Path(List.copyOf(newNames), List.copyOf(newRendered));
        }
    }
}
