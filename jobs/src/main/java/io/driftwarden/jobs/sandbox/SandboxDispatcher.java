package io.driftwarden.jobs.sandbox;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's CRUD dispatcher with server-side apply and RFC 7386 merge patch, and a log of every request.
 * Server-side apply is emulated as create-or-merge; fields that a field manager applied before and no longer
 * applies are deleted, as a real API server does for the fields that manager owned.
 */
final class SandboxDispatcher extends KubernetesCrudDispatcher {

    private static final String APPLY_PATCH = "application/apply-patch";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final List<SandboxRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> lastApplied = new ConcurrentHashMap<>();
    private final ReentrantLock applyLock = new ReentrantLock();
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
    public MockResponse handlePatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && contentType.startsWith(APPLY_PATCH)) {
            return serverSideApply(request);
        }
        return super.handlePatch(request);
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

    private MockResponse serverSideApply(RecordedRequest request) {
        String path = request.getPath();
        String objectPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String collectionPath = objectPath.substring(0, objectPath.lastIndexOf('/'));
        String manager = queryParameter(path, "fieldManager");
        JsonNode applied;
        try {
            applied = Serialization.unmarshal(request.getUtf8Body(), JsonNode.class);
        } catch (RuntimeException e) {
            return new MockResponse().setResponseCode(400).setBody(status(400, "BadRequest", "cannot parse apply patch: " + e.getMessage()));
        }
        foldStringData(applied);
        applyLock.lock();
        try {
            MockResponse existing = handleGet(objectPath);
            if (existing.code() == 404) {
                MockResponse created = handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, collectionPath,
                        json(), new Buffer().writeUtf8(Serialization.asJson(applied))));
                remember(manager, created, applied);
                return created;
            }
            JsonNode current = Serialization.jsonMapper().readTree(existing.getBody().readUtf8());
            String uid = current.path("metadata").path("uid").asString("");
            JsonNode patch = applied.deepCopy();
            JsonNode previous = lastApplied.get(manager + "/" + uid);
            if (previous != null) {
                dropUnapplied(previous, patch);
            }
            MockResponse merged = super.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, objectPath,
                    Headers.builder().add("Content-Type", MERGE_PATCH).build(),
                    new Buffer().writeUtf8(Serialization.asJson(patch))));
            if (merged.code() == 202) {
                merged.setResponseCode(200);
            }
            remember(manager, merged, applied);
            return merged;
        } finally {
            applyLock.unlock();
        }
    }

    /** As the API server does: a Secret's stringData is written into data (base64) and not stored. */
    private static void foldStringData(JsonNode applied) {
        if (!(applied instanceof ObjectNode secret) || !"Secret".equals(secret.path("kind").asString(""))
                || !secret.path("stringData").isObject()) {
            return;
        }
        ObjectNode data = secret.path("data").isObject() ? (ObjectNode) secret.get("data") : secret.putObject("data");
        for (Map.Entry<String, JsonNode> entry : secret.get("stringData").properties()) {
            data.put(entry.getKey(), java.util.Base64.getEncoder()
                    .encodeToString(entry.getValue().asString("").getBytes(StandardCharsets.UTF_8)));
        }
        secret.remove("stringData");
    }

    private void remember(String manager, MockResponse response, JsonNode applied) {
        if (response.code() / 100 != 2) {
            return;
        }
        JsonNode stored = Serialization.jsonMapper().readTree(response.getBody().readUtf8());
        lastApplied.put(manager + "/" + stored.path("metadata").path("uid").asString(""), applied);
    }

    /** Sets to null (delete) every object field the manager applied last time and no longer applies. */
    private static void dropUnapplied(JsonNode previous, JsonNode current) {
        if (!(previous instanceof ObjectNode before) || !(current instanceof ObjectNode now)) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : before.properties()) {
            JsonNode kept = now.get(field.getKey());
            if (kept == null) {
                now.putNull(field.getKey());
            } else {
                dropUnapplied(field.getValue(), kept);
            }
        }
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
                JsonNode existing = result.get(field.getKey());
                result.set(field.getKey(), mergePatch(existing, field.getValue()));
            }
        }
        return result;
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

    private static Headers json() {
        return Headers.builder().add("Content-Type", "application/json").build();
    }

    private static String status(int code, String reason, String message) {
        return Serialization.asJson(Map.of("apiVersion", "v1", "kind", "Status", "status", "Failure",
                "reason", reason, "message", message, "code", code));
    }
}
