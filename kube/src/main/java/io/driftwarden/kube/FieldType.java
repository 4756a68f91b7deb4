package io.driftwarden.kube;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** The type of a value in a Kubernetes object, as far as comparing and merging it needs. */
public sealed interface FieldType permits FieldType.Struct, FieldType.MapOf, FieldType.ListOf, FieldType.Scalar,
        FieldType.Untyped {

    /** How a list's elements are told apart (Kubernetes' {@code x-kubernetes-list-type}). */
    enum ListKind { MAP, SET, ATOMIC }

    /**
     * A field of a struct: its type, whether the server cannot tell its zero value from absence (not a pointer),
     * whether the server leaves a zero value out of what it returns ({@code omitempty} on a non-pointer), and its
     * strategic merge patch tags ({@code patchStrategy} such as {@code merge} or {@code merge,retainKeys},
     * {@code patchMergeKey}; empty when the type declares none), and its default: the value the server fills in when
     * the field is absent (a {@code +default=} marker in Kubernetes' Go types; null when the data names none).
     */
    record Field(FieldType type, boolean zeroIsAbsent, boolean zeroIsOmitted, String patchStrategy, String patchMergeKey,
                 JsonNode defaultValue) {
        public Field(FieldType type, boolean zeroIsAbsent) {
            this(type, zeroIsAbsent, false, "", "", null);
        }

        public Field(FieldType type, boolean zeroIsAbsent, boolean zeroIsOmitted, String patchStrategy, String patchMergeKey) {
            this(type, zeroIsAbsent, zeroIsOmitted, patchStrategy, patchMergeKey, null);
        }

        /** Whether {@code value} is this field's default, so the server would put it back if it were removed. */
        public boolean isDefault(JsonNode value) {
            return defaultValue != null && value != null && FieldPath.canonical(defaultValue).equals(FieldPath.canonical(value));
        }

        /** Whether a strategic merge patch merges this list (by {@link #patchMergeKey}, or as a set of scalars). */
        public boolean mergesList() {
            return List.of(patchStrategy.split(",")).contains("merge");
        }
    }

    /**
     * An object with named fields (a Go struct, or an OpenAPI object with properties). Fields resolve lazily.
     * {@link #atomic()} is server-side apply's {@code +structType=atomic} ({@code x-kubernetes-map-type: atomic}): the
     * value is one owned field, replaced whole by an apply; its members have no owners of their own
     * ({@code LabelSelector}, {@code ObjectReference}, {@code SecretKeySelector}, {@code RoleRef}, {@code Subject} …).
     */
    final class Struct implements FieldType {
        private final String name;
        private final boolean atomic;
        private final Supplier<Map<String, Field>> loader;
        private volatile Map<String, Field> fields;

        public Struct(String name, boolean atomic, Supplier<Map<String, Field>> loader) {
            this.name = name;
            this.atomic = atomic;
            this.loader = loader;
        }

        public String name() {
            return name;
        }

        public boolean atomic() {
            return atomic;
        }

        /** The field's declaration, or an untyped one when the type does not know the name. */
        public Field field(String fieldName) {
            Field field = fields().get(fieldName);
            return field == null ? new Field(Untyped.INSTANCE, false) : field;
        }

        /** Whether the type declares this field. */
        public boolean has(String fieldName) {
            return fields().containsKey(fieldName);
        }

        /** The declared fields, in declaration order. */
        public Map<String, Field> fields() {
            Map<String, Field> known = fields;
            if (known == null) {
                known = Collections.unmodifiableMap(new LinkedHashMap<>(loader.get()));
                fields = known;
            }
            return known;
        }

        public Struct asAtomic() {
            return withAtomic(true);
        }

        /** The same struct, atomic or granular as a field's own {@code +structType} marker says (it beats the type's). */
        public Struct withAtomic(boolean isAtomic) {
            return isAtomic == atomic ? this : new Struct(name, isAtomic, loader);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A map with free keys ({@code map[string]string}, {@code additionalProperties}); {@code atomic} is
     * {@code +mapType=atomic} ({@code x-kubernetes-map-type: atomic}, on the field or on a named map type): one owned
     * value, compared and replaced whole.
     */
    record MapOf(FieldType values, boolean atomic) implements FieldType {
    }

    /** A list; {@code keys} are the fields that identify an element of a {@link ListKind#MAP} list. */
    record ListOf(FieldType element, ListKind kind, List<String> keys) implements FieldType {
        public ListOf {
            keys = List.copyOf(keys);
        }
    }

    /** Leaf values. {@code BYTES} is base64 text, where the server returns an empty value as null. */
    enum Scalar implements FieldType { STRING, BOOLEAN, NUMBER, QUANTITY, INT_OR_STRING, BYTES }

    /**
     * A value with no schema: objects are compared field by field and lists as a whole — what server-side apply
     * does with a value it has no schema for.
     */
    enum Untyped implements FieldType { INSTANCE }

    /** Whether the value is compared as one piece. */
    default boolean isAtomic() {
        if (this instanceof Struct struct) {
            return struct.atomic();
        }
        if (this instanceof MapOf map) {
            return map.atomic();
        }
        if (this instanceof ListOf list) {
            return list.kind() == ListKind.ATOMIC;
        }
        return this instanceof Scalar;
    }
}
