package io.driftwarden.sandbox;

import io.driftwarden.kube.Schemas;
import io.driftwarden.kube.ServedKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's {@code /openapi/v3}: one document per built-in group/version, with the kinds' schemas from
 * Kubernetes' Go types and a path per resource whose operations declare the query parameters the sandbox honours
 * ({@code fieldValidation}, {@code fieldManager}, {@code dryRun}, {@code force}) — kubectl reads the PATCH operation's
 * {@code fieldValidation} to leave field validation to the server. Custom kinds have no document here (kubectl then
 * checks the Namespace document, as against a real cluster without the CRD's schema published).
 */
final class OpenApi {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String APIEXTENSIONS = "apiextensions.k8s.io";
    private static final List<String> WRITE_PARAMETERS = List.of("dryRun", "fieldManager", "fieldValidation", "pretty");
    /** The patch types the sandbox takes for built-in kinds. */
    private static final List<String> PATCH_TYPES = List.of("application/apply-patch+yaml", "application/json-patch+json",
            "application/merge-patch+json", "application/strategic-merge-patch+json");
    private static final Map<String, byte[]> DOCUMENTS = new ConcurrentHashMap<>();

    private OpenApi() {
    }

    /** The answer to a GET of {@code path} under {@code /openapi}, or empty when there is none. */
    static Optional<byte[]> answer(String path, Discovery discovery) {
        if (path.equals("/openapi/v3")) {
            return Optional.of(bytes(root(discovery)));
        }
        if (!path.startsWith("/openapi/v3/")) {
            return Optional.empty();
        }
        String groupVersion = path.substring("/openapi/v3/".length());
        if (!builtinGroupVersions(discovery).containsKey(groupVersion)) {
            return Optional.empty();
        }
        return Optional.of(DOCUMENTS.computeIfAbsent(groupVersion, gv -> bytes(document(gv, builtinGroupVersions(discovery).get(gv)))));
    }

    private static ObjectNode root(Discovery discovery) {
        ObjectNode root = NODES.objectNode();
        ObjectNode paths = root.putObject("paths");
        builtinGroupVersions(discovery).forEach((gv, resources) -> {
            byte[] document = DOCUMENTS.computeIfAbsent(gv, key -> bytes(document(key, resources)));
            paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash(document));
        });
        return root;
    }

    /** {@code api/v1} or {@code apis/GROUP/VERSION} → the built-in resources served there. */
    private static Map<String, List<Discovery.Resource>> builtinGroupVersions(Discovery discovery) {
        Map<String, List<Discovery.Resource>> groupVersions = new java.util.LinkedHashMap<>();
        Schemas schemas = Schemas.builtin();
        discovery.byApiVersion().forEach((apiVersion, resources) -> {
            List<Discovery.Resource> builtin = resources.stream()
                    .filter(r -> schemas.knows(apiVersion, r.kind()) || r.group().equals(APIEXTENSIONS)).toList();
            if (!builtin.isEmpty()) {
                groupVersions.put(apiVersion.contains("/") ? "apis/" + apiVersion : "api/" + apiVersion, builtin);
            }
        });
        return groupVersions;
    }

    private static ObjectNode document(String groupVersion, List<Discovery.Resource> resources) {
        ObjectNode document = NODES.objectNode();
        document.put("openapi", "3.0.0");
        document.putObject("info").put("title", "Kubernetes (driftwarden sandbox)").put("version", "unversioned");
        ObjectNode paths = document.putObject("paths");
        for (Discovery.Resource resource : resources) {
            String base = "/" + groupVersion + (resource.namespaced() ? "/namespaces/{namespace}/" : "/") + resource.plural();
            ObjectNode gvk = NODES.objectNode().put("group", resource.group()).put("version", resource.version())
                    .put("kind", resource.kind());
            ObjectNode collection = paths.putObject(base);
            operation(collection, "get", "list", gvk, List.of());
            if (resource.verbs().contains("create")) {
                operation(collection, "post", "post", gvk, WRITE_PARAMETERS);
            }
            if (resource.verbs().contains("get")) {
                ObjectNode item = paths.putObject(base + "/{name}");
                operation(item, "get", "get", gvk, List.of());
                operation(item, "put", "put", gvk, WRITE_PARAMETERS);
                ObjectNode patch = operation(item, "patch", "patch", gvk, List.of("dryRun", "fieldManager", "fieldValidation", "force", "pretty"));
                ObjectNode content = patch.putObject("requestBody").putObject("content");
                PATCH_TYPES.forEach(type -> content.putObject(type).putObject("schema").put("type", "object"));
                operation(item, "delete", "delete", gvk, List.of("dryRun"));
            }
        }
        List<ServedKind> kinds = Schemas.builtin().servedKinds().stream()
                .filter(k -> resources.stream().anyMatch(r -> r.apiVersion().equals(k.apiVersion()) && r.kind().equals(k.kind())))
                .toList();
        ObjectNode schemas = Schemas.builtin().openApi().schemas(kinds);
        for (Discovery.Resource resource : resources) {
            if (resource.group().equals(APIEXTENSIONS)) {
                // not among the Go types of k8s.io/api: described as an object, without its fields
                ObjectNode schema = schemas.putObject("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + resource.version() + "." + resource.kind());
                schema.put("type", "object").putArray("x-kubernetes-group-version-kind").addObject()
                        .put("group", resource.group()).put("kind", resource.kind()).put("version", resource.version());
            }
        }
        document.putObject("components").set("schemas", schemas);
        return document;
    }

    private static ObjectNode operation(ObjectNode path, String method, String action, ObjectNode gvk, List<String> parameters) {
        ObjectNode operation = path.putObject(method);
        operation.put("x-kubernetes-action", action);
        operation.set("x-kubernetes-group-version-kind", gvk);
        ArrayNode list = operation.putArray("parameters");
        parameters.forEach(name -> list.addObject().put("name", name).put("in", "query").putObject("schema").put("type", "string"));
        operation.putObject("responses").putObject("200").put("description", "OK");
        return operation;
    }

    private static byte[] bytes(JsonNode node) {
        return JsonMapper.builder().build().writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }

    private static String hash(byte[] document) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(document));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
