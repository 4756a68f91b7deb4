package io.driftwarden.jobs.render;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.yaml.YamlDocument;
import io.driftwarden.config.yaml.YamlDocuments;
import io.driftwarden.config.yaml.YamlException;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.KindScope;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a binding's manifest files into desired objects: namespaced objects without a namespace get the
 * binding's, and every object gets driftwarden's two labels so it can be found again.
 */
public final class Renderer {

    /** The label every applied object carries. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The label naming the binding that applied an object. */
    public static final String BINDING_LABEL = "driftwarden.io/binding";

    /** Renders {@code files} (repository path → content, in order) for {@code binding}. */
    public List<DesiredObject> render(Map<String, String> files, BindingSpec binding) {
        List<String> problems = new ArrayList<>();
        List<DesiredObject> objects = new ArrayList<>();
        Map<ResourceKey, String> seen = new HashMap<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            if (isKustomization(file.getKey())) {
                problems.add(file.getKey() + ":1: kustomize is not supported yet; the binding's path must hold plain manifests");
                continue;
            }
            List<YamlDocument> documents;
            try {
                documents = YamlDocuments.parseAll(file.getValue(), file.getKey());
            } catch (YamlException e) {
                problems.add(e.getMessage());
                continue;
            }
            for (YamlDocument document : documents) {
                DesiredObject object = toObject(document, binding, problems);
                if (object == null) {
                    continue;
                }
                String first = seen.putIfAbsent(object.key(), object.origin());
                if (first != null) {
                    problems.add(object.origin() + ": " + object.key().subject() + " is already declared at " + first);
                } else {
                    objects.add(object);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RenderException(problems);
        }
        if (binding.createNamespace()) {
            ResourceKey namespaceKey = ResourceKey.of("v1", "Namespace", "", binding.namespace());
            if (!seen.containsKey(namespaceKey)) {
                objects.add(0, namespace(binding));
            }
        }
        return objects;
    }

    /** The binding's own namespace, declared by {@code createNamespace: true} rather than by a manifest. */
    private static DesiredObject namespace(BindingSpec binding) {
        ObjectNode manifest = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Namespace");
        ObjectNode labels = manifest.putObject("metadata").put("name", binding.namespace()).putObject("labels");
        labels.put(MANAGED_BY, "driftwarden");
        labels.put(BINDING_LABEL, binding.name());
        return new DesiredObject(ResourceKey.of("v1", "Namespace", "", binding.namespace()), manifest,
                binding.origin() + " (createNamespace)");
    }

    private static DesiredObject toObject(YamlDocument document, BindingSpec binding, List<String> problems) {
        if (!(document.tree() instanceof ObjectNode manifest)) {
            problems.add(document.origin() + ": a manifest must be a mapping with apiVersion, kind and metadata.name");
            return null;
        }
        String apiVersion = text(manifest.get("apiVersion"));
        String kind = text(manifest.get("kind"));
        JsonNode metadata = manifest.get("metadata");
        String name = metadata == null ? null : text(metadata.get("name"));
        List<String> missing = new ArrayList<>();
        if (apiVersion == null) {
            missing.add("apiVersion");
        }
        if (kind == null) {
            missing.add("kind");
        }
        if (name == null) {
            missing.add("metadata.name");
        }
        if (!missing.isEmpty()) {
            problems.add(document.origin() + ": missing " + String.join(", ", missing));
            return null;
        }
        if (kind.endsWith("List") && manifest.has("items")) {
            problems.add(document.origin() + ": " + kind + " documents are not supported; write one object per document");
            return null;
        }
        ObjectNode meta = (ObjectNode) metadata;
        String namespace = "";
        if (!KindScope.isClusterScoped(kind)) {
            namespace = text(meta.get("namespace"));
            if (namespace == null) {
                namespace = binding.namespace();
                meta.put("namespace", namespace);
            }
        } else if (meta.has("namespace")) {
            problems.add(document.origin() + ": " + kind + " is cluster-scoped and takes no namespace");
            return null;
        }
        ObjectNode labels = meta.has("labels") && meta.get("labels").isObject()
                ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
        labels.put(MANAGED_BY, "driftwarden");
        labels.put(BINDING_LABEL, binding.name());
        return new DesiredObject(ResourceKey.of(apiVersion, kind, namespace, name), manifest, document.origin());
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    private static boolean isKustomization(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.equals("kustomization.yaml") || file.equals("kustomization.yml") || file.equals("Kustomization");
    }
}
