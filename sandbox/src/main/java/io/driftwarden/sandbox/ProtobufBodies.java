package io.driftwarden.sandbox;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.driftwarden.kube.FieldType;
import io.driftwarden.kube.FieldType.Field;
import io.driftwarden.kube.FieldType.ListOf;
import io.driftwarden.kube.FieldType.MapOf;
import io.driftwarden.kube.FieldType.Struct;
import io.driftwarden.kube.Schemas;
import io.kubernetes.client.proto.Runtime;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads request bodies sent as Kubernetes protobuf ({@code application/vnd.kubernetes.protobuf}), which kubectl's
 * typed clients use for built-in kinds ({@code kubectl create namespace}, {@code create configmap} …), into the JSON
 * the API server would have received. The messages are Kubernetes' own (io.kubernetes:client-java-proto, generated
 * from k8s.io/api's generated.proto); the envelope is {@code "k8s\0"} + {@code runtime.Unknown}. Field names are the
 * JSON names; the apimachinery types with their own JSON form (Time, Quantity, IntOrString, RawExtension, FieldsV1)
 * are converted as their Go JSON marshallers do, and a zero value of a non-pointer {@code omitempty} field is left
 * out, as Go's JSON encoding does.
 */
final class ProtobufBodies {

    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, Descriptor> MESSAGES = new ConcurrentHashMap<>();

    /** A body that is not a Kubernetes protobuf object of a kind the sandbox knows. */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    private ProtobufBodies() {
    }

    static ObjectNode toJson(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw new Unreadable("the body does not start with Kubernetes' protobuf prefix k8s\\0");
        }
        try {
            // parsed as dynamic messages: the runtime's own parser, not the (pre-22) generated code's
            DynamicMessage envelope = DynamicMessage.parseFrom(Runtime.Unknown.getDescriptor(),
                    Arrays.copyOfRange(body, MAGIC.length, body.length));
            Message typeMeta = (Message) envelope.getField(Runtime.Unknown.getDescriptor().findFieldByName("typeMeta"));
            String apiVersion = stringField(typeMeta, "apiVersion");
            String kind = stringField(typeMeta, "kind");
            Descriptor descriptor = descriptor(apiVersion, kind);
            DynamicMessage message = DynamicMessage.parseFrom(descriptor,
                    (ByteString) envelope.getField(Runtime.Unknown.getDescriptor().findFieldByName("raw")));
            ObjectNode json = NODES.objectNode();
            json.put("apiVersion", apiVersion).put("kind", kind);
            json.setAll(object(message, Schemas.builtin().kind(apiVersion, kind)));
            return json;
        } catch (InvalidProtocolBufferException e) {
            throw new Unreadable("the protobuf body cannot be read: " + e.getMessage());
        }
    }

    /** The message of a kind: the outer class is named by version and group ({@code V1Apps}), the message by kind. */
    private static Descriptor descriptor(String apiVersion, String kind) {
        return MESSAGES.computeIfAbsent(apiVersion + "." + kind, key -> {
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = apiVersion.substring(slash + 1);
            String outer = "io.kubernetes.client.proto." + capitalized(version) + capitalized(group.split("\\.")[0]);
            try {
                FileDescriptor file = (FileDescriptor) Class.forName(outer).getMethod("getDescriptor").invoke(null);
                Descriptor descriptor = file.findMessageTypeByName(kind);
                if (descriptor == null) {
                    throw new Unreadable("no protobuf message for " + apiVersion + " " + kind);
                }
                return descriptor;
            } catch (ReflectiveOperationException e) {
                throw new Unreadable("no protobuf messages for " + apiVersion + " (" + kind + ")");
            }
        });
    }

    private static ObjectNode object(Message message, FieldType type) {
        ObjectNode json = NODES.objectNode();
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor descriptor = entry.getKey();
            String name = descriptor.getName();
            Field field = type instanceof Struct struct ? struct.field(name) : new Field(FieldType.Untyped.INSTANCE, false);
            JsonNode value;
            if (descriptor.isMapField()) {
                FieldType values = field.type() instanceof MapOf map ? map.values() : FieldType.Untyped.INSTANCE;
                ObjectNode map = NODES.objectNode();
                for (Object item : (List<?>) entry.getValue()) {
                    Message pair = (Message) item;
                    FieldDescriptor keyField = pair.getDescriptorForType().findFieldByName("key");
                    FieldDescriptor valueField = pair.getDescriptorForType().findFieldByName("value");
                    map.set(String.valueOf(pair.getField(keyField)), value(valueField, pair.getField(valueField), values));
                }
                value = map;
            } else if (descriptor.isRepeated()) {
                FieldType element = field.type() instanceof ListOf list ? list.element() : FieldType.Untyped.INSTANCE;
                ArrayNode list = NODES.arrayNode();
                ((List<?>) entry.getValue()).forEach(item -> list.add(value(descriptor, item, element)));
                value = list;
            } else {
                value = value(descriptor, entry.getValue(), field.type());
                if (value.isNull() || field.zeroIsOmitted() && isZero(value)) {
                    continue;
                }
            }
            json.set(name, value);
        }
        return json;
    }

    private static JsonNode value(FieldDescriptor descriptor, Object value, FieldType type) {
        switch (descriptor.getJavaType()) {
            case MESSAGE:
                return message((Message) value, type);
            case BYTE_STRING:
                return NODES.stringNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case INT:
                return NODES.numberNode((Integer) value);
            case LONG:
                return NODES.numberNode((Long) value);
            case FLOAT:
                return NODES.numberNode((Float) value);
            case DOUBLE:
                return NODES.numberNode((Double) value);
            default:
                return NODES.stringNode(String.valueOf(value));
        }
    }

    /** A nested message, or the JSON form of the apimachinery types that marshal themselves. */
    private static JsonNode message(Message message, FieldType type) {
        String name = message.getDescriptorForType().getFullName();
        switch (name) {
            case META + "Time":
                if (instant(message).equals(Instant.EPOCH)) {
                    return NODES.nullNode();
                }
                return NODES.stringNode(DateTimeFormatter.ISO_INSTANT.format(instant(message).truncatedTo(ChronoUnit.SECONDS)));
            case META + "MicroTime":
                return NODES.stringNode(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX", Locale.ROOT)
                        .withZone(java.time.ZoneOffset.UTC).format(instant(message)));
            case META + "Duration":
                return NODES.stringNode(java.time.Duration.ofNanos(longField(message, "duration")).toString()
                        .substring(2).toLowerCase(Locale.ROOT));
            case META + "FieldsV1", "k8s.io.apimachinery.pkg.runtime.RawExtension":
                String raw = bytesField(message, name.endsWith("FieldsV1") ? "Raw" : "raw");
                return raw.isEmpty() ? NODES.nullNode() : JsonMapper.builder().build().readTree(raw);
            case "k8s.io.apimachinery.pkg.api.resource.Quantity":
                return NODES.stringNode(stringField(message, "string"));
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
                return longField(message, "type") == 1 ? NODES.stringNode(stringField(message, "strVal"))
                        : NODES.numberNode(longField(message, "intVal"));
            default:
                return object(message, type);
        }
    }

    private static Instant instant(Message time) {
        return Instant.ofEpochSecond(longField(time, "seconds"), longField(time, "nanos"));
    }

    private static long longField(Message message, String name) {
        Object value = message.getField(message.getDescriptorForType().findFieldByName(name));
        return ((Number) value).longValue();
    }

    private static String stringField(Message message, String name) {
        return String.valueOf(message.getField(message.getDescriptorForType().findFieldByName(name)));
    }

    private static String bytesField(Message message, String name) {
        return ((ByteString) message.getField(message.getDescriptorForType().findFieldByName(name))).toStringUtf8();
    }

    private static boolean isZero(JsonNode value) {
        return value.isNumber() && value.asDouble() == 0 || value.isBoolean() && !value.asBoolean()
                || value.isString() && value.asString().isEmpty();
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? "" : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
