package io.driftwarden.jobs.diff;

import io.driftwarden.config.DriftManagers;
import io.driftwarden.config.IgnoreRule;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.kube.FieldPath;
import io.driftwarden.kube.FieldTree;
import io.driftwarden.kube.FieldType;
import io.driftwarden.kube.FieldType.Field;
import io.driftwarden.kube.FieldType.ListKind;
import io.driftwarden.kube.FieldType.ListOf;
import io.driftwarden.kube.FieldType.MapOf;
import io.driftwarden.kube.FieldType.Scalar;
import io.driftwarden.kube.FieldType.Struct;
import io.driftwarden.kube.FieldType.Untyped;
import io.driftwarden.kube.Keys;
import io.driftwarden.kube.Schemas;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Compares desired objects with live ones by the Kubernetes schema of their kind (DESIGN.md "Diff"):
 * <ol>
 *   <li>every field Git sets is compared by its type — lists by their list type (map by key, set by value,
 *   atomic whole), quantities by value, int-or-string by text, a zero value equal to absence only where the
 *   server cannot tell them apart (a plain Go field, not a pointer);</li>
 *   <li>a field or element present only live is drift when {@code managedFields} says one of the binding's drift
 *   managers put it there, or driftwarden applied it and Git no longer has it;</li>
 *   <li>anything else present only live (defaults, controllers, admission) is not drift.</li>
 * </ol>
 * Ownership is read as a real API server writes it: an atomic struct or map ({@code LabelSelector},
 * {@code ObjectReference}, {@code SecretKeySelector} … marked {@code +structType=atomic} in the Go types) is one owned
 * value, so a member Git lacks inside one is drift when a drift manager owns the whole value (and driftwarden does not).
 * A live-only value equal to its field's {@code +default=} in the Go types is never drift: the server would put it back.
 */
public final class Differ {

    private static final Field MAP_VALUE_UNTYPED = new Field(Untyped.INSTANCE, false);
    private static final int SHOWN_VALUE_LENGTH = 200;

    private final Schemas schemas;
    private static final Normalizer KUBECTL_RECORD = new KubectlRecordNormalizer();

    private final String ownManager;

    /** {@code ownManager} is driftwarden's field manager: what it owns and Git lacks has left Git. */
    public Differ(Schemas schemas, String ownManager) {
        this.schemas = schemas;
        this.ownManager = ownManager;
    }

    /** Compares each desired object with its live counterpart (absent from {@code live} = missing). */
    public List<Drift> diff(List<DesiredObject> desired, Map<ResourceKey, JsonNode> live, List<IgnoreRule> ignore,
                            DriftManagers driftManagers) {
        Normalizer normalizer = new SecretDataNormalizer().andThen(new IgnoreNormalizer(ignore));
        List<Drift> drifts = new ArrayList<>(desired.size());
        for (DesiredObject object : desired) {
            drifts.add(diff(object, live.get(object.key()), normalizer, driftManagers));
        }
        return drifts;
    }

    /** Compares one desired object with the live one (null when the cluster does not have it). */
    public Drift diff(DesiredObject desired, JsonNode live, Normalizer normalizer, DriftManagers driftManagers) {
        ResourceKey key = desired.key();
        if (live == null) {
            return new Drift(desired, DriftType.MISSING, List.of(),
                    "+ " + key.subject() + " does not exist in the cluster (declared at " + desired.origin() + ")", "");
        }
        Normalizer compared = KUBECTL_RECORD.andThen(normalizer); // kubectl's own record is never compared, whatever the caller's rules
        JsonNode want = compared.normalize(key, desired.manifest().deepCopy());
        JsonNode have = compared.normalize(key, live.deepCopy());
        FieldType type = schemas.kind(key.apiVersion(), key.kind());
        Walk walk = new Walk(key, Ownership.of(live), driftManagers, true);
        walk.root(want, have, type);
        if (walk.out.isEmpty()) {
            return new Drift(desired, DriftType.IN_SYNC, List.of(), "", "");
        }
        StringBuilder text = new StringBuilder();
        for (DriftPath path : walk.out) {
            text.append(path.liveOnly() ? "- " : "~ ").append(path.path().render()).append(": ").append(show(path.live()));
            if (!path.liveOnly()) {
                text.append(" -> ").append(show(path.desired()));
            }
            text.append(" (").append(path.explained()).append(")\n");
        }
        String unified = UnifiedDiff.of(key, have, want, type, walk.out);
        return new Drift(desired, DriftType.MODIFIED, walk.out, text.toString().stripTrailing(), unified);
    }

    /** One comparison; with {@code ownership} off it only answers "equal?" (for atomic values). */
    private final class Walk {
        private final ResourceKey key;
        private final Ownership ownership;
        private final DriftManagers driftManagers;
        private final boolean checkLiveOnly;
        private final List<DriftPath> out = new ArrayList<>();

        Walk(ResourceKey key, Ownership ownership, DriftManagers driftManagers, boolean checkLiveOnly) {
            this.key = key;
            this.ownership = ownership;
            this.driftManagers = driftManagers;
            this.checkLiveOnly = checkLiveOnly;
        }

        void root(JsonNode want, JsonNode have, FieldType type) {
            for (Map.Entry<String, JsonNode> field : want.properties()) {
                String name = field.getKey();
                if (name.equals("status") || name.equals("apiVersion") || name.equals("kind")) {
                    continue;
                }
                FieldPath path = FieldPath.root().with(name);
                if (name.equals("metadata")) {
                    metadata(field.getValue(), have.get("metadata"), fieldOf(type, "metadata").type(), path);
                } else {
                    compare(field.getValue(), have.get(name), fieldOf(type, name), path);
                }
            }
            for (Map.Entry<String, JsonNode> field : have.properties()) {
                String name = field.getKey();
                if (!want.has(name) && !Set.of("status", "apiVersion", "kind", "metadata").contains(name)) {
                    liveOnly(FieldPath.root().with(name), field.getValue(), fieldOf(type, name));
                }
            }
            if (!want.has("metadata")) {
                metadata(null, have.get("metadata"), fieldOf(type, "metadata").type(), FieldPath.root().with("metadata"));
            }
        }

        private void metadata(JsonNode want, JsonNode have, FieldType type, FieldPath path) {
            Set<String> wanted = new HashSet<>();
            if (want != null && want.isObject()) {
                for (Map.Entry<String, JsonNode> field : want.properties()) {
                    if (!FieldTree.SERVER_METADATA.contains(field.getKey())) {
                        wanted.add(field.getKey());
                        compare(field.getValue(), have == null ? null : have.get(field.getKey()), fieldOf(type, field.getKey()),
                                path.with(field.getKey()));
                    }
                }
            }
            if (have != null && have.isObject()) {
                for (Map.Entry<String, JsonNode> field : have.properties()) {
                    if (!wanted.contains(field.getKey()) && !FieldTree.SERVER_METADATA.contains(field.getKey())) {
                        liveOnly(path.with(field.getKey()), field.getValue(), fieldOf(type, field.getKey()));
                    }
                }
            }
        }

        private void compare(JsonNode want, JsonNode have, Field field, FieldPath path) {
            if (want == null || want.isNull()) {
                return;
            }
            FieldType type = field.type();
            if (have == null || have.isNull()) {
                if (!(isZero(want, field) || (have != null && type == Scalar.BYTES && want.asString("x").isEmpty()))) {
                    differs(path, want, null);
                }
                return;
            }
            if (want.isObject()) {
                compareObject(want, have, type, path);
            } else if (want.isArray()) {
                compareList(want, have, type, path);
            } else if (!sameScalar(want, have, type)) {
                differs(path, want, have);
            }
        }

        private void compareObject(JsonNode want, JsonNode have, FieldType type, FieldPath path) {
            if (!have.isObject()) {
                differs(path, want, have);
                return;
            }
            if (type.isAtomic() && checkLiveOnly) {
                if (!equalAtomic(want, have, type)) {
                    differs(path, want, have);
                } else {
                    editedInside(path, want, have, type);
                }
                return;
            }
            for (Map.Entry<String, JsonNode> field : want.properties()) {
                compare(field.getValue(), have.get(field.getKey()), fieldOf(type, field.getKey()), path.with(field.getKey()));
            }
            if (type instanceof MapOf map && map.atomic() && !sameKeys(want, have)) {
                differs(path, want, have);
                return;
            }
            for (Map.Entry<String, JsonNode> field : have.properties()) {
                if (!want.has(field.getKey()) && !field.getValue().isNull()) {
                    liveOnly(path.with(field.getKey()), field.getValue(), fieldOf(type, field.getKey()));
                }
            }
        }

        private void compareList(JsonNode want, JsonNode have, FieldType type, FieldPath path) {
            if (!have.isArray()) {
                differs(path, want, have);
                return;
            }
            ListOf list = type instanceof ListOf l ? l : new ListOf(Untyped.INSTANCE, ListKind.ATOMIC, List.of());
            if (list.kind() == ListKind.ATOMIC) {
                if (!equalAtomic(want, have, list)) {
                    differs(path, want, have);
                }
                return;
            }
            Field element = new Field(list.element(), true);
            Map<FieldPath.Element, JsonNode> live = new LinkedHashMap<>();
            have.forEach(item -> live.putIfAbsent(identity(item, list), item));
            Set<FieldPath.Element> wanted = new HashSet<>();
            for (JsonNode item : want) {
                FieldPath.Element id = identity(item, list);
                wanted.add(id);
                JsonNode match = live.get(id);
                if (match == null) {
                    differs(path.with(id), item, null);
                } else if (list.kind() == ListKind.MAP) {
                    compare(item, match, element, path.with(id));
                }
            }
            live.forEach((id, item) -> {
                if (!wanted.contains(id)) {
                    liveOnly(path.with(id), item, new Field(list.element(), true));
                }
            });
        }

        /** Whether two atomic values are equal: same shape and length, each of Git's fields equal (defaults added live are fine). */
        private boolean equalAtomic(JsonNode want, JsonNode have, FieldType type) {
            if (want.isArray()) {
                if (!have.isArray() || want.size() != have.size()) {
                    return false;
                }
                FieldType element = type instanceof ListOf list ? list.element() : Untyped.INSTANCE;
                Walk inner = new Walk(key, ownership, driftManagers, false);
                for (int i = 0; i < want.size(); i++) {
                    inner.compare(want.get(i), have.get(i), new Field(element, true), FieldPath.root().with(FieldPath.index(i)));
                }
                return inner.out.isEmpty();
            }
            if (type instanceof MapOf && !sameKeys(want, have)) {
                return false;
            }
            Walk inner = new Walk(key, ownership, driftManagers, false);
            inner.compareObject(want, have, type, FieldPath.root());
            return inner.out.isEmpty();
        }

        /**
         * An atomic struct or map that holds every field Git gives it: one owned value (a real server's managedFields
         * name it, never its members), so what else it holds was put there by the owner of the whole value — by hand
         * when that is a drift manager, unless driftwarden owns it too (then the rest are the server's defaults).
         * Members equal to their default in the types data are never drift.
         */
        private void editedInside(FieldPath path, JsonNode want, JsonNode have, FieldType type) {
            List<Ownership.Owned> whole = ownership.owners(path).stream().filter(Ownership.Owned::whole).toList();
            if (whole.stream().anyMatch(o -> o.manager().equals(ownManager))) {
                return;
            }
            whole.stream().map(Ownership.Owned::manager).filter(driftManagers::matches).findFirst()
                    .ifPresent(manager -> addedInside(path, want, have, type, manager));
        }

        /** The members of {@code have} that {@code want} lacks, at any depth, each a drift added by {@code manager}. */
        private void addedInside(FieldPath path, JsonNode want, JsonNode have, FieldType type, String manager) {
            if (have.isObject() && want.isObject()) {
                for (Map.Entry<String, JsonNode> member : have.properties()) {
                    Field field = fieldOf(type, member.getKey());
                    JsonNode wanted = want.get(member.getKey());
                    if (wanted == null || wanted.isNull()) {
                        addedByHand(path.with(member.getKey()), member.getValue(), field, manager);
                    } else {
                        addedInside(path.with(member.getKey()), wanted, member.getValue(), field.type(), manager);
                    }
                }
            } else if (have.isArray() && want.isArray() && type instanceof ListOf list && list.kind() != ListKind.ATOMIC) {
                Map<FieldPath.Element, JsonNode> wanted = new LinkedHashMap<>();
                want.forEach(item -> wanted.putIfAbsent(identity(item, list), item));
                for (JsonNode item : have) {
                    FieldPath.Element id = identity(item, list);
                    if (!wanted.containsKey(id)) {
                        addedByHand(path.with(id), item, new Field(list.element(), true), manager);
                    } else if (list.kind() == ListKind.MAP) {
                        addedInside(path.with(id), wanted.get(id), item, list.element(), manager);
                    }
                }
            }
        }

        private void addedByHand(FieldPath path, JsonNode value, Field field, String manager) {
            if (value != null && !value.isNull() && !(value.isContainer() && value.isEmpty()) && !field.isDefault(value)) {
                out.add(new DriftPath(path, DriftPath.Reason.ADDED_BY_HAND, manager, masked(path, value), null,
                        ownership.changedBy(path, manager)));
            }
        }

        /**
         * A value present live and absent from Git: drift when a drift manager (or driftwarden) owns it — unless it is
         * the field's default in the types data, which the server would put back.
         */
        private void liveOnly(FieldPath path, JsonNode value, Field field) {
            if (!checkLiveOnly || value == null || value.isNull() || (value.isContainer() && value.isEmpty())) {
                return; // an empty list or map is no value to a Go type: nothing was added
            }
            if (field.isDefault(value)) {
                return;
            }
            FieldType type = field.type();
            List<Ownership.Owned> owners = ownership.owners(path).stream()
                    .filter(o -> driftManagers.matches(o.manager()) || o.manager().equals(ownManager)).toList();
            if (owners.isEmpty()) {
                return;
            }
            Ownership.Owned owner = owners.stream().filter(o -> !o.manager().equals(ownManager)).findFirst().orElse(owners.get(0));
            if (owners.stream().anyMatch(Ownership.Owned::whole) || !value.isContainer()) {
                DriftPath.Reason reason = owner.manager().equals(ownManager) ? DriftPath.Reason.NO_LONGER_IN_GIT
                        : DriftPath.Reason.ADDED_BY_HAND;
                out.add(new DriftPath(path, reason, owner.manager(), masked(path, value), null, ownership.changedBy(path, owner.manager())));
                return;
            }
            if (value.isObject()) {
                value.properties().forEach(f -> liveOnly(path.with(f.getKey()), f.getValue(), fieldOf(type, f.getKey())));
            } else if (type instanceof ListOf list && list.kind() != ListKind.ATOMIC) {
                value.forEach(item -> liveOnly(path.with(identity(item, list)), item, new Field(list.element(), true)));
            }
        }

        private void differs(FieldPath path, JsonNode want, JsonNode have) {
            out.add(new DriftPath(path, DriftPath.Reason.DIFFERS, null, masked(path, have), masked(path, want), ownership.changedBy(path)));
        }

        private JsonNode masked(FieldPath path, JsonNode value) {
            return value != null && SecretMasker.masks(key, path.fieldNames()) ? StringNode.valueOf(SecretMasker.MASK) : value;
        }
    }

    private static FieldPath.Element identity(JsonNode item, ListOf list) {
        return list.kind() == ListKind.SET ? FieldPath.value(item) : FieldPath.key(item, list.keys(), Keys.defaults(list.element()));
    }

    private static Field fieldOf(FieldType type, String name) {
        if (type instanceof Struct struct) {
            return struct.field(name);
        }
        if (type instanceof MapOf map) {
            return new Field(map.values(), false);
        }
        return MAP_VALUE_UNTYPED;
    }

    private static boolean sameKeys(JsonNode want, JsonNode have) {
        Set<String> a = new HashSet<>();
        Set<String> b = new HashSet<>();
        want.properties().forEach(e -> a.add(e.getKey()));
        have.properties().forEach(e -> b.add(e.getKey()));
        return a.equals(b);
    }

    /**
     * Whether Git's value reads as "not set" for this field: an empty list or map always (nil and empty are one to
     * the server); {@code {}}, {@code false}, {@code 0} and {@code ""} only where the field is not a pointer.
     */
    private static boolean isZero(JsonNode want, Field field) {
        if (want.isArray()) {
            return want.isEmpty();
        }
        if (want.isObject()) {
            return want.isEmpty() && (field.zeroIsAbsent() || field.type() instanceof MapOf || field.type() == Untyped.INSTANCE);
        }
        if (!field.zeroIsAbsent()) {
            return false;
        }
        return (want.isString() && want.asString().isEmpty()) || (want.isBoolean() && !want.booleanValue())
                || (want.isNumber() && want.decimalValue().signum() == 0);
    }

    private static boolean sameScalar(JsonNode want, JsonNode have, FieldType type) {
        if (!have.isValueNode()) {
            return false;
        }
        String wantText = FieldPath.scalarText(want);
        String haveText = FieldPath.scalarText(have);
        if (type == Scalar.QUANTITY) {
            BigDecimal a = Quantities.parse(wantText);
            BigDecimal b = Quantities.parse(haveText);
            return a != null && b != null ? a.compareTo(b) == 0 : wantText.equals(haveText);
        }
        if (type == Scalar.INT_OR_STRING || type == Scalar.NUMBER) {
            return wantText.equals(haveText);
        }
        return wantText.equals(haveText) && want.isBoolean() == have.isBoolean();
    }

    static String show(JsonNode value) {
        if (value == null || value.isNull()) {
            return "(absent)";
        }
        String text = value.isString() ? '"' + value.asString() + '"' : value.toString();
        return text.length() > SHOWN_VALUE_LENGTH ? text.substring(0, SHOWN_VALUE_LENGTH) + "…" : text;
    }
}
