package io.driftwarden.sandbox;

import io.driftwarden.kube.FieldType;
import io.driftwarden.kube.Keys;
import io.driftwarden.kube.Schemas;
import io.driftwarden.kube.StrategicMerge;
import io.driftwarden.kube.UnknownFields;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's CRUD dispatcher made to write as an API server does: every create, update and patch records
 * {@code managedFields} ({@link FieldManagers}); server-side apply merges by the schema; merge patch deletes on
 * {@code null} (RFC 7386); JSON Patch (RFC 6902) answers 422 when a {@code test} fails; {@code dryRun=All} answers
 * without storing; a Secret's {@code stringData} is folded into {@code data}. Every request is logged.
 */
final class SandboxDispatcher extends KubernetesCrudDispatcher {

    private static final String APPLY_PATCH = "application/apply-patch";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";
    private static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
    private static final String SCALE = "/scale";
    /** The path of a Namespace object. */
    private static final Pattern NAMESPACE_OBJECT = Pattern.compile("/api/v1/namespaces/([^/]+)");
    /** The path of an object in a namespace: group 1 is the namespace. */
    private static final Pattern IN_NAMESPACE = Pattern.compile("/(?:api/v1|apis/[^/]+/[^/]+)/namespaces/([^/]+)/[^/]+/[^/]+");
    /** The path of a namespaced collection or of an object in it: group 1 is the namespace. */
    private static final Pattern NAMESPACED = Pattern.compile("/(?:api/v1|apis/[^/]+/[^/]+)/namespaces/([^/]+)/[^/]+(?:/[^/]+)?");
    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    /** Warnings for the request being answered, sent back as {@code Warning} headers. */
    private static final ThreadLocal<List<String>> WARNINGS = ThreadLocal.withInitial(ArrayList::new);

    private final List<SandboxRequest> requests = new CopyOnWriteArrayList<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final FieldManagers fieldManagers = new FieldManagers(Clock.systemUTC());
    private volatile Consumer<SandboxRequest> beforeWrite = request -> { };
    private final IndexedStore store = new IndexedStore();
    private volatile long latencyNanos;
    private volatile long statusDelayNanos = StatusControllers.DEFAULT_DELAY.toNanos();
    /** The sandbox's controllers ({@link StatusControllers}): one daemon thread writing status after a delay. */
    private final java.util.concurrent.ScheduledExecutorService controllers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sandbox-controllers");
        thread.setDaemon(true);
        return thread;
    });

    void latency(java.time.Duration latency) {
        this.latencyNanos = latency.toNanos();
    }

    /** While set, every request waits here before it is answered ({@link Sandbox#holdAnswers}). */
    private volatile java.util.concurrent.CountDownLatch gate;
    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();

    void hold() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    void release() {
        java.util.concurrent.CountDownLatch open = gate;
        gate = null;
        if (open != null) {
            open.countDown();
        }
    }

    int held() {
        return held.get();
    }

    /** fabric8's dispatcher, over an {@link IndexedStore} in place of the map it would filter entry by entry. */
    /** Whether writes get Kubernetes' defaults ({@link Defaults}); off only to compare ownership with the SMD oracle. */
    private final boolean defaults;

    SandboxDispatcher(boolean defaults) {
        this.defaults = defaults;
        try {
            java.lang.reflect.Field map = io.fabric8.mockwebserver.crud.CrudDispatcher.class.getDeclaredField("map");
            map.setAccessible(true);
            map.set(this, store);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8's CRUD dispatcher changed: cannot index its store", e);
        }
    }

    /**
     * Creates the namespaces every API server has from its start ({@code default}, {@code kube-system},
     * {@code kube-public}, {@code kube-node-lease}), owned by {@code kube-apiserver} and not in the request log.
     */
    void createSystemNamespaces() {
        for (String name : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
            ObjectNode namespace = Serialization.jsonMapper().createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
            namespace.putObject("metadata").put("name", name);
            handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, "/api/v1/namespaces?fieldManager=kube-apiserver",
                    Headers.builder().add("Content-Type", "application/json").build(), new Buffer().writeUtf8(Serialization.asJson(namespace))));
        }
    }

    List<SandboxRequest> requests() {
        return requests;
    }

    void clearRequests() {
        requests.clear();
    }

    void beforeWrite(Consumer<SandboxRequest> hook) {
        this.beforeWrite = hook;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        SandboxRequest logged = new SandboxRequest(request.getMethod(), request.getPath(), request.getHeader("Content-Type"));
        requests.add(logged);
        java.util.concurrent.CountDownLatch closed = gate;
        if (closed != null) {
            held.incrementAndGet();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                held.decrementAndGet();
            }
        }
        if (latencyNanos > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(latencyNanos); // the benchmark's in-cluster round trip
        }
        if (logged.isWrite()) {
            beforeWrite.accept(logged);
        }
        WARNINGS.get().clear();
        MockResponse response = answerOrFail(request);
        WARNINGS.get().forEach(warning -> response.addHeader("Warning", "299 - \"" + warning.replace("\"", "\\\"") + "\""));
        if (response.header("Content-Type") == null) {
            // clients decode by the response's type; kubectl's typed clients would otherwise assume protobuf
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    /** Any exception becomes a 500: thrown out of here, the mock server only logs it and the client waits forever. */
    private MockResponse answerOrFail(RecordedRequest request) {
        try {
            return answer(request);
        } catch (RuntimeException e) {
            return status(500, "InternalError", "Internal error occurred: " + e);
        }
    }

    private MockResponse answer(RecordedRequest request) {
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        if (contentType.startsWith(PROTOBUF)) {
            try {
                request = new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(),
                        request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
                        new Buffer().writeUtf8(Serialization.asJson(ProtobufBodies.toJson(request.getBody().readByteArray()))));
            } catch (ProtobufBodies.Unreadable e) {
                return status(415, "UnsupportedMediaType", e.getMessage());
            }
        }
        String path = pathOf(request);
        if (Discovery.isResourcePath(path) && !Discovery.builtinOnly().serves(path) && !discovery().serves(path)) {
            return status(404, "NotFound", "the server could not find the requested resource (" + path + ")");
        }
        if (request.getMethod().equals("GET") && Discovery.isDiscoveryPath(path)) {
            return discovery().document(path).map(SandboxDispatcher::json).orElseGet(() -> notFound(path));
        }
        if (request.getMethod().equals("GET") && path.startsWith("/openapi/")) {
            return OpenApi.answer(path, discovery()).map(body -> new MockResponse().setResponseCode(200)
                    .setHeader("Content-Type", "application/json").setBody(body)).orElseGet(() -> notFound(path));
        }
        return super.dispatch(request);
    }

    /** What the sandbox serves now: the built-in kinds and those of the CRDs stored in it. */
    private Discovery discovery() {
        return Discovery.with(crds());
    }

    private List<JsonNode> crds() {
        JsonNode stored = current(CRDS);
        List<JsonNode> items = new ArrayList<>();
        if (stored != null) {
            stored.path("items").forEach(items::add);
        }
        return items;
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        if (isSubresource(request.getPath())) {
            return super.handleCreate(request);
        }
        return locked(() -> {
            ObjectNode body = asServerStores(inRequestNamespace(parse(request.getUtf8Body()), pathOf(request)), request);
            requireNamespace(pathOf(request) + "/" + body.path("metadata").path("name").asString(""));
            if (body.path("kind").asString("").equals("Namespace") && body.path("metadata") instanceof ObjectNode metadata) {
                // kube-apiserver's namespace strategy (PrepareForCreate, 1.21+) labels every namespace with its name
                (metadata.get("labels") instanceof ObjectNode labels ? labels : metadata.putObject("labels"))
                        .put("kubernetes.io/metadata.name", metadata.path("name").asString(""));
            }
            JsonNode seeded = body.path("metadata").get("managedFields");
            ObjectNode created = seeded != null && seeded.isArray() && !seeded.isEmpty() && !seeded.get(0).isEmpty()
                    ? body // seeding: kept as given (a real server would also record the create's own change over them)
                    : fieldManagers.update(null, body, type(body), manager(request), "");
            withServerStatus(created);
            StatusControllers.written(null, created);
            if (dryRun(request.getPath())) {
                return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(created));
            }
            MockResponse stored = super.handleCreate(request(HttpMethod.POST, pathOf(request), created));
            controllersAct(pathOf(request) + "/" + created.path("metadata").path("name").asString(""), created, stored);
            return stored;
        });
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        if (pathOf(request).endsWith(SCALE)) {
            return locked(() -> scale(request, scale -> parse(request.getUtf8Body())));
        }
        if (isSubresource(request.getPath())) {
            return super.handleUpdate(request);
        }
        return locked(() -> {
            JsonNode current = current(pathOf(request));
            if (current == null) {
                return notFound(pathOf(request));
            }
            ObjectNode body = asServerStores(inRequestNamespace(parse(request.getUtf8Body()), pathOf(request)), request);
            return store(request, current, fieldManagers.update(current, body, type(body), manager(request), ""), false);
        });
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        if (pathOf(request).endsWith(SCALE)) {
            return locked(() -> scale(request, scale -> patched(scale, request)));
        }
        if (isSubresource(request.getPath())) {
            return super.handlePatch(request);
        }
        return locked(() -> {
            String objectPath = pathOf(request);
            JsonNode current = current(objectPath);
            if (contentType.startsWith(APPLY_PATCH)) {
                return serverSideApply(request, current);
            }
            if (current == null) {
                return notFound(objectPath);
            }
            ObjectNode updated = asServerStores(inRequestNamespace(patched(current, request), objectPath), request);
            return store(request, current, fieldManagers.update(current, updated, type(updated), manager(request), ""), false);
        });
    }

    @Override
    public MockResponse handleGet(String path) {
        String plain = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (plain.endsWith(SCALE)) {
            JsonNode parent = current(plain.substring(0, plain.length() - SCALE.length()));
            return parent == null ? notFound(plain) : json(Scales.of(parent));
        }
        MockResponse response = store.narrowedTo(attributeExtractor.fromPath(path), () -> super.handleGet(path));
        String limit = queryParameter(path, "limit");
        String token = queryParameter(path, "continue");
        return limit.isEmpty() || response.code() != 200 ? response : page(response, Integer.parseInt(limit), token.isEmpty() ? null : token);
    }

    /**
     * A LIST in chunks, as the API server answers {@code limit} and {@code continue}: items in key order
     * (namespace, name — the order of the storage keys {@code /registry/<resource>/<namespace>/<name>} the etcd3 store
     * ranges over, k8s.io/apiserver/pkg/storage/etcd3/store.go), at most {@code limit} of them, and while more remain
     * an opaque {@code metadata.continue} token and {@code metadata.remainingItemCount} (ListMeta in
     * k8s.io/apimachinery/pkg/apis/meta/v1/types.go).
     */
    private static MockResponse page(MockResponse whole, int limit, String token) {
        JsonNode list = Serialization.jsonMapper().readTree(whole.getBody().readUtf8());
        if (!list.has("items") || limit <= 0) {
            return json(list);
        }
        List<JsonNode> items = new ArrayList<>();
        list.path("items").forEach(items::add);
        items.sort(java.util.Comparator.comparing((JsonNode item) -> item.at("/metadata/namespace").asString(""))
                .thenComparing(item -> item.at("/metadata/name").asString("")));
        int from;
        try {
            from = token == null ? 0 : Integer.parseInt(new String(java.util.Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return status(400, "BadRequest", "invalid continue token: " + token);
        }
        int to = Math.min(items.size(), from + limit);
        ObjectNode page = ((ObjectNode) list).deepCopy();
        page.putArray("items").addAll(items.subList(Math.min(from, items.size()), to));
        ObjectNode metadata = page.has("metadata") && page.get("metadata").isObject() ? (ObjectNode) page.get("metadata") : page.putObject("metadata");
        if (to < items.size()) {
            metadata.put("continue", java.util.Base64.getUrlEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)));
            metadata.put("remainingItemCount", items.size() - to);
        } else {
            metadata.remove("continue");
            metadata.remove("remainingItemCount");
        }
        return json(page);
    }

    /** Deleting a Namespace deletes every object in it first, as the namespace controller does (here at once). */
    @Override
    public MockResponse handleDelete(String path) {
        Matcher namespace = NAMESPACE_OBJECT.matcher(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
        if (namespace.matches() && current(namespace.group(0)) != null) {
            for (Discovery.Resource resource : discovery().resources()) {
                if (resource.namespaced() && resource.verbs().contains("delete")) {
                    String base = resource.group().isEmpty() ? "/api/" + resource.version() : "/apis/" + resource.apiVersion();
                    String collection = base + "/namespaces/" + namespace.group(1) + "/" + resource.plural();
                    store.narrowedTo(attributeExtractor.fromPath(collection), () -> super.handleDelete(collection));
                }
            }
        }
        return store.narrowedTo(attributeExtractor.fromPath(path), () -> super.handleDelete(path));
    }

    /** The stored object the handlers (create, update, patch) look up: from the index, not a scan. */
    @Override
    public Map.Entry<io.fabric8.mockwebserver.crud.AttributeSet, String> findResource(io.fabric8.mockwebserver.crud.AttributeSet query) {
        return store.narrowedTo(query, () -> super.findResource(query));
    }

    /**
     * The object after a merge, JSON or strategic merge patch (by the request's content type); throws
     * {@link Refused} for a patch the API server would refuse.
     */
    private ObjectNode patched(JsonNode current, RecordedRequest request) {
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        JsonNode patched;
        if (contentType.startsWith(MERGE_PATCH)) {
            patched = mergePatch(current.deepCopy(), parse(request.getUtf8Body()));
        } else if (contentType.startsWith(JSON_PATCH)) {
            try {
                patched = JsonPatch.apply(Serialization.jsonMapper().readTree(request.getUtf8Body()), current);
            } catch (JsonPatchException | JacksonException e) {
                throw new Refused(422, "Invalid", "the JSON patch was not applied: " + e.getMessage());
            }
        } else if (contentType.startsWith(STRATEGIC_MERGE_PATCH)) {
            String apiVersion = current.path("apiVersion").asString("");
            String kind = current.path("kind").asString("");
            if (!Schemas.builtin().knows(apiVersion, kind) && !kind.equals("Scale")) {
                throw new Refused(415, "UnsupportedMediaType", "strategic merge patch is not supported for " + apiVersion + " " + kind
                        + " (a custom kind): use application/merge-patch+json, application/json-patch+json or apply");
            }
            try {
                patched = StrategicMerge.apply(current, parse(request.getUtf8Body()), type(current));
            } catch (StrategicMerge.InvalidPatch e) {
                throw new Refused(400, "BadRequest", e.getMessage());
            }
        } else {
            throw new Refused(415, "UnsupportedMediaType", "the sandbox does not take " + contentType + " patches");
        }
        if (!(patched instanceof ObjectNode object)) {
            throw new Refused(422, "Invalid", "the patched object is not an object");
        }
        return object;
    }

    /**
     * The scale subresource of a Deployment, StatefulSet, ReplicaSet or ReplicationController: the {@code Scale}
     * after {@code change} writes its {@code spec.replicas} into the object, owned by the writer with subresource
     * {@code scale}, as the API server records it.
     */
    private MockResponse scale(RecordedRequest request, java.util.function.UnaryOperator<JsonNode> change) {
        String objectPath = pathOf(request).substring(0, pathOf(request).length() - SCALE.length());
        JsonNode current = current(objectPath);
        if (current == null) {
            return notFound(pathOf(request));
        }
        JsonNode replicas = change.apply(Scales.of(current)).path("spec").path("replicas");
        if (!replicas.isIntegralNumber() || replicas.asInt() < 0) {
            return status(422, "Invalid", "Scale.spec.replicas: Invalid value: " + replicas + ": must be a non-negative integer");
        }
        ObjectNode updated = (ObjectNode) current.deepCopy();
        ((ObjectNode) updated.path("spec")).put("replicas", replicas.asInt());
        ObjectNode recorded = fieldManagers.update(current, updated, type(updated), manager(request), "scale");
        MockResponse stored = store(request, objectPath, current, recorded, false);
        if (stored.code() != 200) {
            return stored;
        }
        return json(Scales.of(Serialization.jsonMapper().readTree(stored.getBody().readUtf8())));
    }

    private MockResponse serverSideApply(RecordedRequest request, JsonNode current) {
        // the applier owns what it sent: a key default the server fills in keys its element but is not its field
        ObjectNode applied = foldStringData(decoded(inRequestNamespace(parse(request.getUtf8Body()), pathOf(request)), request));
        boolean force = "true".equals(queryParameter(request.getPath(), "force"));
        ObjectNode result;
        try {
            result = fieldManagers.apply(current, applied, type(applied), queryParameter(request.getPath(), "fieldManager"), force);
            Keys.fillDefaults(result, type(result));
            if (defaults) {
                Defaults.apply(result, type(result)); // after the merge: the applier does not own what the server defaults
            }
        } catch (FieldManagers.ConflictException conflict) {
            return new MockResponse().setResponseCode(409).setBody(Serialization.asJson(Map.of("apiVersion", "v1", "kind", "Status",
                    "status", "Failure", "reason", "Conflict", "message", conflict.getMessage(), "code", 409,
                    "details", Map.of("causes", conflict.causes()))));
        }
        if (current == null) {
            requireNamespace(pathOf(request));
            withServerStatus(result);
            StatusControllers.written(null, result);
            if (dryRun(request.getPath())) {
                return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(result));
            }
            String objectPath = pathOf(request);
            MockResponse stored = super.handleCreate(request(HttpMethod.POST, objectPath.substring(0, objectPath.lastIndexOf('/')), result));
            controllersAct(objectPath, result, stored);
            return stored;
        }
        return store(request, current, result, true);
    }

    /** Stores a whole new version of an existing object (or, for a dry-run, only answers with it). */
    private MockResponse store(RecordedRequest request, JsonNode current, ObjectNode updated, boolean keepVersion) {
        return store(request, pathOf(request), current, updated, keepVersion);
    }

    private MockResponse store(RecordedRequest request, String objectPath, JsonNode current, ObjectNode updated, boolean keepVersion) {
        requireMutable(current, updated);
        StatusControllers.written(current, updated);
        if (dryRun(request.getPath())) {
            return new MockResponse().setResponseCode(200).setBody(Serialization.asJson(updated));
        }
        ObjectNode metadata = (ObjectNode) updated.path("metadata");
        if (keepVersion || !request.getMethod().equals("PUT") || !metadata.hasNonNull("resourceVersion")) {
            metadata.put("resourceVersion", current.path("metadata").path("resourceVersion").asString(""));
        }
        MockResponse stored = super.handleUpdate(request(HttpMethod.PUT, objectPath, updated));
        controllersAct(objectPath, updated, stored);
        return stored.code() == 202 ? stored.setResponseCode(200) : stored;
    }

    /**
     * After a stored write of a kind a controller looks after ({@link StatusControllers}), that controller's status
     * {@link #statusDelay} later — unless a newer spec (generation) came first: its own write brings its own. Not in a
     * sandbox without defaults: the structured-merge-diff oracle it is compared with models no controllers.
     */
    private void controllersAct(String objectPath, JsonNode written, MockResponse stored) {
        if (!defaults || stored.code() >= 300 || !StatusControllers.controlled(written)) {
            return;
        }
        long generation = written.path("metadata").path("generation").asLong(1);
        controllers.schedule(() -> controllerStatus(objectPath, generation), statusDelayNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The controller's status write: through the store (not the request log), resourceVersion and managedFields kept. */
    private void controllerStatus(String objectPath, long generation) {
        writeLock.lock();
        try {
            JsonNode current = current(objectPath);
            if (current == null || current.path("metadata").path("generation").asLong(1) != generation) {
                return;
            }
            ObjectNode status = StatusControllers.status(current, java.time.Instant.now());
            if (status == null) {
                return;
            }
            ObjectNode updated = (ObjectNode) current.deepCopy();
            updated.set("status", status);
            // into the store as it is (labels unchanged, so the same key): fabric8's update would give a new resourceVersion
            Map.Entry<io.fabric8.mockwebserver.crud.AttributeSet, String> entry = findResource(attributeExtractor.fromPath(objectPath));
            if (entry != null) {
                store.put(entry.getKey(), Serialization.asJson(updated));
            }
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(SandboxDispatcher.class.getName()).log(java.util.logging.Level.WARNING,
                    "sandbox controller could not write the status of " + objectPath, e);
        } finally {
            writeLock.unlock();
        }
    }

    void statusDelay(java.time.Duration delay) {
        this.statusDelayNanos = delay.toNanos();
    }

    void stopControllers() {
        controllers.shutdownNow();
    }

    /** RFC 7386: a {@code null} in the patch deletes the key (fabric8's CRUD mode keeps it). */
    @Override
    public JsonNode merge(JsonNode base, String patch) throws KubernetesCrudDispatcherException {
        try {
            return mergePatch(base.deepCopy(), Serialization.jsonMapper().readTree(patch));
        } catch (JacksonException e) {
            throw new KubernetesCrudDispatcherException(e.getMessage(), 422);
        }
    }

    /**
     * The status a real server gives a new object within a second: a Namespace is {@code Active} (kube-apiserver's
     * namespace strategy, PrepareForCreate), a CustomResourceDefinition {@code Established} and {@code NamesAccepted}
     * (the condition types of apiextensions.k8s.io/v1, set by its naming and establishing controllers).
     */
    private static void withServerStatus(ObjectNode created) {
        switch (created.path("kind").asString("")) {
            case "Namespace":
                created.putObject("status").put("phase", "Active");
                break;
            case "CustomResourceDefinition":
                ObjectNode status = created.putObject("status");
                status.set("acceptedNames", created.path("spec").path("names").deepCopy());
                var conditions = status.putArray("conditions");
                for (String type : List.of("NamesAccepted", "Established")) {
                    conditions.addObject().put("type", type).put("status", "True").put("reason", type.equals("Established")
                            ? "InitialNamesAccepted" : "NoConflicts");
                }
                var stored = status.putArray("storedVersions");
                created.path("spec").path("versions").forEach(v -> {
                    if (v.path("storage").asBoolean(false)) {
                        stored.add(v.path("name").asString());
                    }
                });
                break;
            default:
                break;
        }
    }

    /**
     * Refuses what the API server refuses as immutable: the label selector of apps/v1 workloads (422,
     * {@code field is immutable}, as kubernetes/pkg/apis/apps/validation ValidateDeploymentUpdate and its siblings do).
     */
    private static void requireMutable(JsonNode current, JsonNode updated) {
        String apiVersion = current.path("apiVersion").asString("");
        String kind = current.path("kind").asString("");
        if (apiVersion.equals("apps/v1") && List.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet").contains(kind)) {
            JsonNode before = current.path("spec").path("selector");
            JsonNode after = updated.path("spec").path("selector");
            if (!before.isMissingNode() && !before.equals(after)) {
                throw new Refused(422, "Invalid", kind + "." + "apps \"" + current.path("metadata").path("name").asString("")
                        + "\" is invalid: spec.selector: Invalid value: " + Serialization.asJson(after) + ": field is immutable");
            }
        }
    }

    /**
     * The object's namespace as the request's path decides it, as k8s.io/apiserver's
     * {@code rest.EnsureObjectNamespaceMatchesRequestNamespace} does on create, update and patch (apply included): in a
     * namespaced path an object naming another namespace is a 400 (one naming none takes the path's, as fabric8's store
     * does); a cluster-scoped object's namespace is dropped (a Namespace's path names the object itself, not a namespace
     * it is in).
     */
    private static ObjectNode inRequestNamespace(ObjectNode object, String path) {
        Matcher namespaced = NAMESPACED.matcher(path);
        JsonNode metadata = object.path("metadata");
        String given = metadata.path("namespace").asString("");
        if (!(metadata instanceof ObjectNode meta)) {
            return object;
        }
        if (!namespaced.matches()) {
            meta.remove("namespace");
        } else if (!given.isEmpty() && !given.equals(namespaced.group(1))) {
            throw new BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        return object;
    }

    /** An object can only be created in a namespace that exists (404, as the API server's admission answers). */
    private void requireNamespace(String objectPath) {
        Matcher inNamespace = IN_NAMESPACE.matcher(objectPath);
        if (inNamespace.matches() && current("/api/v1/namespaces/" + inNamespace.group(1)) == null) {
            throw new Refused(404, "NotFound", "namespaces \"" + inNamespace.group(1) + "\" not found");
        }
    }

    private FieldType type(JsonNode object) {
        String apiVersion = object.path("apiVersion").asString("");
        String kind = object.path("kind").asString("");
        Schemas schemas = Schemas.builtin();
        if (schemas.knows(apiVersion, kind)) {
            return schemas.kind(apiVersion, kind);
        }
        return schemas.withCrds(crds()).kind(apiVersion, kind);
    }

    private JsonNode current(String path) {
        MockResponse existing = handleGet(path);
        return existing.code() == 200 ? Serialization.jsonMapper().readTree(existing.getBody().readUtf8()) : null;
    }

    private MockResponse locked(java.util.function.Supplier<MockResponse> write) {
        writeLock.lock();
        try {
            return write.get();
        } catch (BadRequest e) {
            return status(400, "BadRequest", e.getMessage());
        } catch (Refused e) {
            return status(e.code, e.reason, e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    /** The field manager of a write: its {@code fieldManager} parameter, else the User-Agent up to its first '/'. */
    private static String manager(RecordedRequest request) {
        String manager = queryParameter(request.getPath(), "fieldManager");
        if (!manager.isEmpty()) {
            return manager;
        }
        String agent = String.valueOf(request.getHeader("User-Agent"));
        int slash = agent.indexOf('/');
        return slash > 0 ? agent.substring(0, slash) : agent;
    }

    /**
     * What the API server does to every object it stores, as far as the sandbox goes: defaulted list keys filled in
     * ({@code protocol: TCP}), the defaults of {@link Defaults}, a Secret's stringData written into data (base64) and not stored.
     */
    private ObjectNode asServerStores(ObjectNode object, RecordedRequest request) {
        decoded(object, request);
        Keys.fillDefaults(object, type(object));
        if (defaults) {
            Defaults.apply(object, type(object)); // before the field manager: a create's manager owns the defaults, as on a real server
        }
        return foldStringData(object);
    }

    /**
     * The object as decoding into the Go types leaves it: fields a built-in kind does not declare are refused
     * ({@code fieldValidation=Strict}, as kubectl sends) or dropped with a warning ({@code Warn}, the default) or
     * without ({@code Ignore}).
     */
    private ObjectNode decoded(ObjectNode object, RecordedRequest request) {
        String apiVersion = object.path("apiVersion").asString("");
        String kind = object.path("kind").asString("");
        if (!Schemas.builtin().knows(apiVersion, kind)) {
            return object;
        }
        List<JsonNode> claimTemplates = new ArrayList<>();
        object.path("spec").path("volumeClaimTemplates").forEach(t -> claimTemplates.add(t.deepCopy()));
        List<String> unknown = UnknownFields.prune(object, Schemas.builtin().kind(apiVersion, kind));
        keepTypeMeta(object.path("spec").path("volumeClaimTemplates"), claimTemplates, unknown);
        String validation = queryParameter(request.getPath(), "fieldValidation");
        if (unknown.isEmpty() || validation.equals("Ignore")) {
            return object;
        }
        List<String> messages = unknown.stream().map(path -> "unknown field \"" + path + "\"").toList();
        if (validation.equals("Strict")) {
            throw new Refused(400, "BadRequest", "strict decoding error: " + String.join(", ", messages));
        }
        WARNINGS.get().addAll(messages);
        return object;
    }

    /**
     * A StatefulSet's {@code volumeClaimTemplates} are whole PersistentVolumeClaims, whose Go type embeds TypeMeta: their
     * {@code apiVersion} and {@code kind} are declared fields there (the Go types data leaves TypeMeta out of kinds), so
     * they are put back and not reported as unknown.
     */
    private static void keepTypeMeta(JsonNode templates, List<JsonNode> before, List<String> unknown) {
        for (int i = 0; i < templates.size() && i < before.size(); i++) {
            if (templates.get(i) instanceof ObjectNode template) {
                for (String field : List.of("apiVersion", "kind")) {
                    if (before.get(i).has(field)) {
                        template.set(field, before.get(i).get(field));
                        unknown.remove("spec.volumeClaimTemplates[" + i + "]." + field);
                    }
                }
            }
        }
    }

    private static ObjectNode foldStringData(ObjectNode object) {
        if (!"Secret".equals(object.path("kind").asString("")) || !object.path("stringData").isObject()) {
            return object;
        }
        ObjectNode data = object.path("data").isObject() ? (ObjectNode) object.get("data") : object.putObject("data");
        for (Map.Entry<String, JsonNode> entry : object.get("stringData").properties()) {
            data.put(entry.getKey(), Base64.getEncoder().encodeToString(entry.getValue().asString("").getBytes(StandardCharsets.UTF_8)));
        }
        object.remove("stringData");
        return object;
    }

    private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!(patch instanceof ObjectNode patchObject)) {
            return patch;
        }
        ObjectNode result = target instanceof ObjectNode object ? object : Serialization.jsonMapper().createObjectNode();
        for (Map.Entry<String, JsonNode> field : patchObject.properties()) {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    private static ObjectNode parse(String body) {
        try {
            JsonNode node = Serialization.unmarshal(body, JsonNode.class);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (RuntimeException e) {
            throw new BadRequest("cannot parse the request body: " + e.getMessage());
        }
        throw new BadRequest("the request body is not an object");
    }

    private static boolean isSubresource(String path) {
        String plain = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return plain.endsWith("/status") || plain.endsWith("/scale");
    }

    private static boolean dryRun(String path) {
        return "All".equals(queryParameter(path, "dryRun"));
    }

    private static String pathOf(RecordedRequest request) {
        String path = request.getPath();
        return path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    }

    private static String queryParameter(String path, String name) {
        int question = path.indexOf('?');
        if (question < 0) {
            return "";
        }
        for (String pair : path.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
        return new RecordedRequest("HTTP/1.1", method, path, Headers.builder().add("Content-Type", "application/json").build(),
                new Buffer().writeUtf8(Serialization.asJson(body)));
    }

    private static MockResponse json(JsonNode body) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(Serialization.asJson(body));
    }

    private static MockResponse notFound(String path) {
        return status(404, "NotFound", path + " not found");
    }

    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(Map.of("apiVersion", "v1", "kind", "Status",
                "status", "Failure", "reason", reason, "message", message, "code", code)));
    }

    /** A request the API server would refuse with this code and reason. */
    private static final class Refused extends RuntimeException {
        private final int code;
        private final String reason;

        Refused(int code, String reason, String message) {
            super(message);
            this.code = code;
            this.reason = reason;
        }
    }

    /** A request the API server refuses as a bad request (400): a body that is not a JSON object, a namespace mismatch. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
