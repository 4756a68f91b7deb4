package io.driftwarden.kube;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A path into an object the way server-side apply names it: fields, list elements by their keys, set members by
 * value, atomic elements by index. Renders for people ({@code spec.containers[name=web].ports[containerPort=53,protocol=UDP]}),
 * for {@code managedFields} ({@code f:}, {@code k:}, {@code v:}, {@code i:}) and as a JSON pointer into a given object.
 */
public record FieldPath(List<Element> elements) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public FieldPath {
        elements = List.copyOf(elements);
    }

    public static FieldPath root() {
        return new FieldPath(List.of());
    }

    /** One step: {@code text} is the field name, the index, or the canonical JSON of the key object or set value. */
    public record Element(Kind kind, String text) {

        public enum Kind { FIELD, KEY, VALUE, INDEX }

        /** As {@code fieldsV1} writes it. */
        public String fieldsV1() {
            return switch (kind) {
                case FIELD -> "f:" + text;
                case KEY -> "k:" + text;
                case VALUE -> "v:" + text;
                case INDEX -> "i:" + text;
            };
        }

        /** Parses a {@code fieldsV1} key; null for {@code .} and anything unknown. */
        public static Element ofFieldsV1(String text) {
            if (text.length() < 2 || text.charAt(1) != ':') {
                return null;
            }
            String rest = text.substring(2);
            return switch (text.charAt(0)) {
                case 'f' -> new Element(Kind.FIELD, rest);
                case 'k' -> new Element(Kind.KEY, canonical(JSON.readTree(rest)));
                case 'v' -> new Element(Kind.VALUE, canonical(JSON.readTree(rest)));
                case 'i' -> new Element(Kind.INDEX, rest);
                default -> null;
            };
        }

        String render() {
            return switch (kind) {
                case FIELD -> text.matches("[A-Za-z0-9_-]+") ? "." + text : "[\"" + text + "\"]";
                case KEY -> {
                    StringBuilder shown = new StringBuilder("[");
                    JSON.readTree(text).properties().forEach(e -> shown.append(shown.length() > 1 ? "," : "")
                            .append(e.getKey()).append('=').append(e.getValue().isString() ? e.getValue().asString() : e.getValue().toString()));
                    yield shown.append(']').toString();
                }
                case VALUE -> {
                    JsonNode value = JSON.readTree(text);
                    yield "[=" + (value.isString() ? value.asString() : value.toString()) + "]";
                }
                case INDEX -> "[" + text + "]";
            };
        }
    }

    public static Element field(String name) {
        return new Element(Element.Kind.FIELD, name);
    }

    /** The element of a map-type list with these key fields, taken from {@code element} (missing keys from {@code defaults}). */
    public static Element key(JsonNode element, List<String> keys, Map<String, String> defaults) {
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        for (String name : keys) {
            JsonNode value = element.get(name);
            if ((value == null || value.isNull()) && defaults != null && defaults.containsKey(name)) {
                key.put(name, defaults.get(name));
            } else if (value != null && !value.isNull()) {
                key.set(name, value);
            }
        }
        return new Element(Element.Kind.KEY, canonical(key));
    }

    public static Element value(JsonNode value) {
        return new Element(Element.Kind.VALUE, canonical(value));
    }

    public static Element index(int i) {
        return new Element(Element.Kind.INDEX, String.valueOf(i));
    }

    public FieldPath with(Element element) {
        List<Element> longer = new ArrayList<>(elements.size() + 1);
        longer.addAll(elements);
        longer.add(element);
        return new FieldPath(longer);
    }

    public FieldPath with(String fieldName) {
        return with(field(fieldName));
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public Element last() {
        return elements.get(elements.size() - 1);
    }

    public FieldPath parent() {
        return new FieldPath(elements.subList(0, elements.size() - 1));
    }

    /** The field names along the path (for masking rules such as "under data"). */
    public List<String> fieldNames() {
        return elements.stream().filter(e -> e.kind() == Element.Kind.FIELD).map(Element::text).toList();
    }

    /** {@code spec.template.spec.containers[name=web].image}, {@code metadata.labels["app.kubernetes.io/name"]}. */
    public String render() {
        StringBuilder text = new StringBuilder();
        for (Element element : elements) {
            text.append(element.render());
        }
        return text.length() > 0 && text.charAt(0) == '.' ? text.substring(1) : text.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    /** The JSON pointer of this path inside {@code object}, or null when the object has nothing there. */
    public String pointer(JsonNode object) {
        StringBuilder pointer = new StringBuilder();
        JsonNode node = object;
        for (Element element : elements) {
            if (node == null) {
                return null;
            }
            switch (element.kind()) {
                case FIELD -> {
                    if (!node.isObject() || !node.has(element.text())) {
                        return null;
                    }
                    pointer.append('/').append(element.text().replace("~", "~0").replace("/", "~1"));
                    node = node.get(element.text());
                }
                case KEY, VALUE, INDEX -> {
                    int index = indexIn(node, element);
                    if (index < 0) {
                        return null;
                    }
                    pointer.append('/').append(index);
                    node = node.get(index);
                }
            }
        }
        return pointer.toString();
    }

    /** The value at this path inside {@code object}, or null. */
    public JsonNode valueIn(JsonNode object) {
        String pointer = pointer(object);
        return pointer == null ? null : object.at(pointer);
    }

    private static int indexIn(JsonNode list, Element element) {
        if (!(list instanceof ArrayNode array)) {
            return -1;
        }
        if (element.kind() == Element.Kind.INDEX) {
            int i = Integer.parseInt(element.text());
            return i < array.size() ? i : -1;
        }
        JsonNode wanted = JSON.readTree(element.text());
        for (int i = 0; i < array.size(); i++) {
            JsonNode candidate = array.get(i);
            if (element.kind() == Element.Kind.VALUE && canonical(candidate).equals(element.text())) {
                return i;
            }
            if (element.kind() == Element.Kind.KEY && candidate.isObject() && matchesKey(candidate, wanted)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesKey(JsonNode candidate, JsonNode key) {
        for (Map.Entry<String, JsonNode> field : key.properties()) {
            JsonNode value = candidate.get(field.getKey());
            if (value == null || !scalarText(value).equals(scalarText(field.getValue()))) {
                return false;
            }
        }
        return true;
    }

    /** JSON with object keys sorted and numbers in plain form: the identity of a key object or set value. */
    static String canonical(JsonNode value) {
        return JSON.writeValueAsString(sorted(value));
    }

    private static JsonNode sorted(JsonNode value) {
        if (value.isObject()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            new TreeMap<>(asMap(value)).forEach((k, v) -> object.set(k, sorted(v)));
            return object;
        }
        if (value.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            value.forEach(v -> array.add(sorted(v)));
            return array;
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue().stripTrailingZeros();
            return number.scale() <= 0 ? JsonNodeFactory.instance.numberNode(number.toBigInteger())
                    : JsonNodeFactory.instance.numberNode(number);
        }
        return value;
    }

    private static Map<String, JsonNode> asMap(JsonNode object) {
        Map<String, JsonNode> map = new TreeMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    /** A scalar as text, numbers in canonical form ({@code 8080} equals {@code "8080"}, {@code 1.0} equals {@code 1}). */
    public static String scalarText(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isNumber()) {
            BigDecimal number = node.decimalValue().stripTrailingZeros();
            return number.scale() < 0 ? number.setScale(0).toPlainString() : number.toPlainString();
        }
        return node.isValueNode() ? node.asString("") : node.toString();
    }
}
