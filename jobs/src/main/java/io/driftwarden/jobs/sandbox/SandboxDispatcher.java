package io.driftwarden.jobs.sandbox;

import io.driftwarden.jobs.schema.FieldType;
import io.driftwarden.jobs.schema.Keys;
import io.driftwarden.jobs.schema.Schemas;
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
    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private final List<SandboxRequest> requests = new CopyOnWriteArrayList<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final FieldManagers fieldManagers = new FieldManagers(Clock.systemUTC());
    private volatile Consumer<SandboxRequest> beforeWrite = request -> { };

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
        if (logged.isWrite()) {
            beforeWrite.accept(logged);
        }
        return super.dispatch(request);
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        if (isSubresource(request.getPath())) {
            return super.handleCreate(request);
        }
        return locked(() -> {
            ObjectNode body = asServerStores(parse(request.getUtf8Body()));
            ObjectNode created = fieldManagers.update(null, body, type(body), manager(request));
            if (dryRun(request.getPath())) {
                return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(created));
            }
            return super.handleCreate(request(HttpMethod.POST, pathOf(request), created));
        });
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        if (isSubresource(request.getPath())) {
            return super.handleUpdate(request);
        }
        return locked(() -> {
            JsonNode current = current(pathOf(request));
            if (current == null) {
                return notFound(pathOf(request));
            }
            ObjectNode body = asServerStores(parse(request.getUtf8Body()));
            return store(request, current, fieldManagers.update(current, body, type(body), manager(request)), false);
        });
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String contentType = String.valueOf(request.getHeader("Content-Type"));
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
            JsonNode patched;
            if (contentType.startsWith(MERGE_PATCH)) {
                patched = mergePatch(current.deepCopy(), parse(request.getUtf8Body()));
            } else if (contentType.startsWith(JSON_PATCH)) {
                try {
                    patched = JsonPatch.apply(Serialization.jsonMapper().readTree(request.getUtf8Body()), current);
                } catch (JsonPatchException | JacksonException e) {
                    return status(422, "Invalid", "the JSON patch was not applied: " + e.getMessage());
                }
            } else {
                return status(415, "UnsupportedMediaType", "the sandbox does not take " + contentType + " patches");
            }
            ObjectNode updated = asServerStores((ObjectNode) patched);
            return store(request, current, fieldManagers.update(current, updated, type(updated), manager(request)), false);
        });
    }

    private MockResponse serverSideApply(RecordedRequest request, JsonNode current) {
        // the applier owns what it sent: a key default the server fills in keys its element but is not its field
        ObjectNode applied = foldStringData(parse(request.getUtf8Body()));
        boolean force = "true".equals(queryParameter(request.getPath(), "force"));
        ObjectNode result;
        try {
            result = fieldManagers.apply(current, applied, type(applied), queryParameter(request.getPath(), "fieldManager"), force);
            Keys.fillDefaults(result, type(result));
        } catch (FieldManagers.ConflictException conflict) {
            return status(409, "Conflict", conflict.getMessage());
        }
        if (current == null) {
            if (dryRun(request.getPath())) {
                return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(result));
            }
            String objectPath = pathOf(request);
            return super.handleCreate(request(HttpMethod.POST, objectPath.substring(0, objectPath.lastIndexOf('/')), result));
        }
        return store(request, current, result, true);
    }

    /** Stores a whole new version of an existing object (or, for a dry-run, only answers with it). */
    private MockResponse store(RecordedRequest request, JsonNode current, ObjectNode updated, boolean keepVersion) {
        if (dryRun(request.getPath())) {
            return new MockResponse().setResponseCode(200).setBody(Serialization.asJson(updated));
        }
        ObjectNode metadata = (ObjectNode) updated.path("metadata");
        if (keepVersion || !request.getMethod().equals("PUT") || !metadata.hasNonNull("resourceVersion")) {
            metadata.put("resourceVersion", current.path("metadata").path("resourceVersion").asString(""));
        }
        MockResponse stored = super.handleUpdate(request(HttpMethod.PUT, pathOf(request), updated));
        return stored.code() == 202 ? stored.setResponseCode(200) : stored;
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

    private FieldType type(JsonNode object) {
        String apiVersion = object.path("apiVersion").asString("");
        String kind = object.path("kind").asString("");
        Schemas schemas = Schemas.builtin();
        if (schemas.knows(apiVersion, kind)) {
            return schemas.kind(apiVersion, kind);
        }
        JsonNode crds = current(CRDS);
        List<JsonNode> items = new ArrayList<>();
        if (crds != null) {
            crds.path("items").forEach(items::add);
        }
        return schemas.withCrds(items).kind(apiVersion, kind);
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
     * ({@code protocol: TCP}), a Secret's stringData written into data (base64) and not stored.
     */
    private ObjectNode asServerStores(ObjectNode object) {
        Keys.fillDefaults(object, type(object));
        return foldStringData(object);
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

    private static MockResponse notFound(String path) {
        return status(404, "NotFound", path + " not found");
    }

    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(Map.of("apiVersion", "v1", "kind", "Status",
                "status", "Failure", "reason", reason, "message", message, "code", code)));
    }

    /** A request body that is not a JSON object. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
