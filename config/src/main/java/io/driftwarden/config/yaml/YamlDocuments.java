package io.driftwarden.config.yaml;

import io.driftwarden.config.InputLimits;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML (and JSON, which is YAML) into {@link YamlDocument}s. Scalars are typed as Kubernetes' YAML
 * reader types them (YAML 1.1: {@code 3} is an int, {@code "3"} a string, {@code true} a boolean).
 */
public final class YamlDocuments {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private YamlDocuments() {
    }

    /** Every non-empty document of {@code content}, within the default limits; {@code file} names positions. */
    public static List<YamlDocument> parseAll(String content, String file) {
        return parseAll(content, file, InputLimits.DEFAULTS);
    }

    /**
     * Every non-empty document of {@code content}; a document nested deeper than {@code limits.yamlMaxDepth()} or with
     * more than {@code limits.yamlMaxAliases()} aliases is refused at its line. {@code file} names positions.
     */
    public static List<YamlDocument> parseAll(String content, String file, InputLimits limits) {
        List<YamlDocument> documents = new ArrayList<>();
        try {
            for (Node node : yaml(limits).composeAll(new java.io.StringReader(content))) {
                if (node == null || (node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag()))) {
                    continue; // an empty document (between two ---, or only comments)
                }
                documents.add(new YamlDocument(toJson(node, file), file, line(node.getStartMark())));
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new YamlException(file, mark == null ? 1 : line(mark), describe(e));
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new YamlException(file, 1, e.getMessage());
        }
        return documents;
    }

    /** The single document's root node, with positions (config files are read node by node). */
    public static Node composeOne(String content, String file) {
        try {
            return yaml(InputLimits.DEFAULTS).compose(new java.io.StringReader(content));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new YamlException(file, mark == null ? 1 : line(mark), describe(e));
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new YamlException(file, 1, e.getMessage());
        }
    }

    /** The 1-based line of a node. */
    public static int line(Node node) {
        return line(node.getStartMark());
    }

    /** Converts a node to a Jackson tree; a mapping that repeats a key is an error at the repeated key. */
    public static JsonNode toJson(Node node, String file) {
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar);
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = JSON.arrayNode();
            sequence.getValue().forEach(item -> array.add(toJson(item, file)));
            return array;
        }
        MappingNode mapping = (MappingNode) node;
        ObjectNode object = JSON.objectNode();
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw new YamlException(file, line(tuple.getKeyNode()), "a mapping key must be a plain value");
            }
            String key = keyNode.getValue();
            if (!seen.add(key)) {
                throw new YamlException(file, line(keyNode), "duplicate key '" + key + "'");
            }
            object.set(key, toJson(tuple.getValueNode(), file));
        }
        return object;
    }

    private static JsonNode scalar(ScalarNode scalar) {
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        try {
            if (Tag.NULL.equals(tag)) {
                return JSON.nullNode();
            }
            if (Tag.BOOL.equals(tag)) {
                return JSON.booleanNode(switch (value.toLowerCase()) {
                    case "true", "yes", "on", "y" -> true;
                    default -> false;
                });
            }
            if (Tag.INT.equals(tag)) {
                BigInteger number = parseInt(value.replace("_", ""));
                return number.bitLength() < 64 ? JSON.numberNode(number.longValue()) : JSON.numberNode(number);
            }
            if (Tag.FLOAT.equals(tag)) {
                String text = value.replace("_", "");
                if (text.matches("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)")) {
                    return JSON.stringNode(value);
                }
                return JSON.numberNode(new BigDecimal(text));
            }
        } catch (NumberFormatException e) {
            return JSON.stringNode(value);
        }
        return JSON.stringNode(value);
    }

    private static BigInteger parseInt(String text) {
        String digits = text;
        int sign = 1;
        if (digits.startsWith("-") || digits.startsWith("+")) {
            sign = digits.startsWith("-") ? -1 : 1;
            digits = digits.substring(1);
        }
        BigInteger magnitude;
        if (digits.startsWith("0x")) {
            magnitude = new BigInteger(digits.substring(2), 16);
        } else if (digits.startsWith("0o")) {
            magnitude = new BigInteger(digits.substring(2), 8);
        } else if (digits.startsWith("0b")) {
            magnitude = new BigInteger(digits.substring(2), 2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            magnitude = new BigInteger(digits.substring(1), 8);
        } else {
            magnitude = new BigInteger(digits);
        }
        return sign < 0 ? magnitude.negate() : magnitude;
    }

    private static Yaml yaml(InputLimits limits) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(limits.yamlMaxAliases());
        options.setNestingDepthLimit(limits.yamlMaxDepth());
        options.setCodePointLimit(64 * 1024 * 1024);
        return new Yaml(options);
    }

    private static int line(Mark mark) {
        return mark.getLine() + 1;
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
        return e.getContext() != null ? e.getContext() + ", " + problem : problem;
    }
}
