package io.driftwarden.sandbox;

import io.driftwarden.kube.Plurals;
import io.driftwarden.kube.Schemas;
import io.driftwarden.kube.ServedKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's API discovery ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/GROUP},
 * {@code /apis/GROUP/VERSION}): every kind Kubernetes' Go types mark as served in a GA version (what an API server
 * serves with no feature gates), {@code apiextensions.k8s.io/v1} CustomResourceDefinitions, and the custom kinds of the
 * CRDs stored in the sandbox. Subresources are listed only where the sandbox answers them: {@code status} for kinds with
 * a status, {@code scale} where the types declare it.
 */
final class Discovery {

    /** One resource as discovery describes it. */
    record Resource(String group, String version, String plural, String singular, String kind, boolean namespaced,
                    List<String> verbs, List<String> shortNames, List<String> categories, boolean status, boolean scale) {

        String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    private static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final Pattern GA = Pattern.compile("v\\d+");
    private static final Pattern VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    /**
     * Short names and categories are not part of the types: each kind's REST storage declares them
     * ({@code ShortNames()} and {@code Categories()} in kubernetes/pkg/registry/GROUP/KIND/storage/storage.go).
     */
    private static final Map<String, List<String>> SHORT_NAMES = Map.ofEntries(
            Map.entry("pods", List.of("po")), Map.entry("services", List.of("svc")),
            Map.entry("replicationcontrollers", List.of("rc")), Map.entry("configmaps", List.of("cm")),
            Map.entry("namespaces", List.of("ns")), Map.entry("nodes", List.of("no")),
            Map.entry("persistentvolumes", List.of("pv")), Map.entry("persistentvolumeclaims", List.of("pvc")),
            Map.entry("serviceaccounts", List.of("sa")), Map.entry("endpoints", List.of("ep")),
            Map.entry("events", List.of("ev")), Map.entry("limitranges", List.of("limits")),
            Map.entry("resourcequotas", List.of("quota")), Map.entry("componentstatuses", List.of("cs")),
            Map.entry("deployments", List.of("deploy")), Map.entry("replicasets", List.of("rs")),
            Map.entry("statefulsets", List.of("sts")), Map.entry("daemonsets", List.of("ds")),
            Map.entry("horizontalpodautoscalers", List.of("hpa")), Map.entry("cronjobs", List.of("cj")),
            Map.entry("ingresses", List.of("ing")), Map.entry("networkpolicies", List.of("netpol")),
            Map.entry("poddisruptionbudgets", List.of("pdb")), Map.entry("priorityclasses", List.of("pc")),
            Map.entry("storageclasses", List.of("sc")), Map.entry("certificatesigningrequests", List.of("csr")),
            Map.entry("customresourcedefinitions", List.of("crd", "crds")));
    private static final List<String> CATEGORY_ALL = List.of("pods", "services", "replicationcontrollers", "deployments",
            "replicasets", "statefulsets", "daemonsets", "horizontalpodautoscalers", "cronjobs", "jobs");

    private static final List<Resource> BUILTIN = builtin(Schemas.builtin().servedKinds());
    private static final Discovery BUILTIN_ONLY = new Discovery(BUILTIN);

    private final List<Resource> resources;

    private Discovery(List<Resource> resources) {
        this.resources = resources;
    }

    /** The built-in resources plus those of {@code crds} (CustomResourceDefinition objects as stored). */
    static Discovery with(Iterable<JsonNode> crds) {
        List<Resource> all = new ArrayList<>(BUILTIN);
        crds.forEach(crd -> all.addAll(custom(crd)));
        return new Discovery(all);
    }

    /** The built-in resources alone (no CRD lookup needed). */
    static Discovery builtinOnly() {
        return BUILTIN_ONLY;
    }

    List<Resource> resources() {
        return resources;
    }

    /** The resource served at {@code apiVersion} under {@code plural}, if any. */
    Optional<Resource> find(String apiVersion, String plural) {
        return resources.stream().filter(r -> r.apiVersion().equals(apiVersion) && r.plural().equals(plural)).findFirst();
    }

    /** The resource of a kind, if any. */
    Optional<Resource> ofKind(String apiVersion, String kind) {
        return resources.stream().filter(r -> r.apiVersion().equals(apiVersion) && r.kind().equals(kind)).findFirst();
    }

    /** The discovery document at {@code path}, or empty when the path is not a discovery path or names nothing served. */
    Optional<JsonNode> document(String path) {
        List<String> segments = List.of(path.replaceAll("^/+|/+$", "").split("/"));
        if (segments.get(0).equals("api")) {
            if (segments.size() == 1) {
                ObjectNode versions = object("APIVersions");
                versions.remove("apiVersion");
                versions.putArray("versions").add("v1");
                versions.putArray("serverAddressByClientCIDRs");
                return Optional.of(versions);
            }
            return segments.size() == 2 ? resourceList("", segments.get(1)) : Optional.empty();
        }
        if (!segments.get(0).equals("apis")) {
            return Optional.empty();
        }
        switch (segments.size()) {
            case 1:
                ObjectNode list = object("APIGroupList");
                ArrayNode groups = list.putArray("groups");
                groupNames().forEach(name -> groups.add(group(name)));
                return Optional.of(list);
            case 2:
                return groupNames().contains(segments.get(1)) ? Optional.of(group(segments.get(1))) : Optional.empty();
            case 3:
                return resourceList(segments.get(1), segments.get(2));
            default:
                return Optional.empty();
        }
    }

    /** Whether {@code path} names resources ({@code /api/v1/namespaces/x/configmaps …}) rather than discovery documents. */
    static boolean isResourcePath(String path) {
        List<String> segments = List.of(path.replaceAll("^/+|/+$", "").split("/"));
        return segments.get(0).equals("api") && segments.size() > 2 || segments.get(0).equals("apis") && segments.size() > 3;
    }

    /** Whether the resource a resource path names is served here (a real server answers 404 for one that is not). */
    boolean serves(String path) {
        List<String> segments = List.of(path.replaceAll("^/+|/+$", "").split("/"));
        boolean core = segments.get(0).equals("api");
        String apiVersion = core ? segments.get(1) : segments.get(1) + "/" + segments.get(2);
        List<String> rest = segments.subList(core ? 2 : 3, segments.size());
        String plural = rest.get(0).equals("namespaces") && rest.size() >= 3 ? rest.get(2) : rest.get(0);
        return find(apiVersion, plural).isPresent();
    }

    /** Whether {@code path} has the shape of a discovery path (as opposed to a resource path). */
    static boolean isDiscoveryPath(String path) {
        List<String> segments = List.of(path.replaceAll("^/+|/+$", "").split("/"));
        return segments.get(0).equals("api") && segments.size() <= 2 || segments.get(0).equals("apis") && segments.size() <= 3;
    }

    private List<String> groupNames() {
        return resources.stream().map(Resource::group).filter(g -> !g.isEmpty()).distinct().toList();
    }

    private ObjectNode group(String name) {
        ObjectNode group = object("APIGroup");
        group.put("name", name);
        ArrayNode versions = group.putArray("versions");
        List<String> served = resources.stream().filter(r -> r.group().equals(name)).map(Resource::version).distinct()
                .sorted(Discovery::byPriority).toList();
        served.forEach(version -> versions.addObject().put("groupVersion", name + "/" + version).put("version", version));
        group.putObject("preferredVersion").put("groupVersion", name + "/" + served.get(0)).put("version", served.get(0));
        return group;
    }

    private Optional<JsonNode> resourceList(String group, String version) {
        List<Resource> inVersion = resources.stream().filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
        if (inVersion.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode list = object("APIResourceList");
        list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode items = list.putArray("resources");
        for (Resource resource : inVersion) {
            ObjectNode item = items.addObject();
            item.put("name", resource.plural()).put("singularName", resource.singular()).put("namespaced", resource.namespaced())
                    .put("kind", resource.kind());
            strings(item.putArray("verbs"), resource.verbs());
            if (!resource.shortNames().isEmpty()) {
                strings(item.putArray("shortNames"), resource.shortNames());
            }
            if (!resource.categories().isEmpty()) {
                strings(item.putArray("categories"), resource.categories());
            }
            if (resource.status()) {
                subresource(items, resource, "status", resource.group(), resource.version(), resource.kind());
            }
            if (resource.scale()) {
                subresource(items, resource, "scale", "autoscaling", "v1", "Scale");
            }
        }
        return Optional.of(list);
    }

    private static void subresource(ArrayNode items, Resource parent, String name, String group, String version, String kind) {
        ObjectNode item = items.addObject();
        item.put("name", parent.plural() + "/" + name).put("singularName", "").put("namespaced", parent.namespaced())
                .put("group", group).put("version", version).put("kind", kind);
        strings(item.putArray("verbs"), List.of("get", "patch", "update"));
    }

    private static List<Resource> builtin(List<ServedKind> kinds) {
        List<Resource> resources = new ArrayList<>();
        for (ServedKind kind : kinds) {
            List<String> verbs = verbs(kind.markers());
            if (!GA.matcher(kind.version()).matches() || verbs.isEmpty()) {
                continue;
            }
            String plural = Plurals.of(kind.kind());
            boolean scale = kind.markers().stream().anyMatch(m -> m.contains("subresource=scale"));
            boolean status = kind.type().has("status") && verbs.contains("update");
            resources.add(new Resource(kind.group(), kind.version(), plural, kind.kind().toLowerCase(Locale.ROOT), kind.kind(),
                    kind.namespaced(), verbs, SHORT_NAMES.getOrDefault(plural, List.of()),
                    CATEGORY_ALL.contains(plural) ? List.of("all") : List.of(), status, scale));
        }
        // not in k8s.io/api (it lives in k8s.io/apiextensions-apiserver), and the way custom kinds reach the sandbox
        resources.add(new Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
                "CustomResourceDefinition", false, ALL_VERBS, SHORT_NAMES.get("customresourcedefinitions"),
                List.of("api-extensions"), true, false));
        return List.copyOf(resources);
    }

    private static List<Resource> custom(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String kind = names.path("kind").asString("");
        List<Resource> resources = new ArrayList<>();
        for (JsonNode version : spec.path("versions")) {
            if (!version.path("served").asBoolean(true)) {
                continue;
            }
            resources.add(new Resource(spec.path("group").asString(""), version.path("name").asString(""),
                    names.path("plural").asString(""), names.path("singular").asString(kind.toLowerCase(Locale.ROOT)), kind,
                    !spec.path("scope").asString("Namespaced").equals("Cluster"), ALL_VERBS, texts(names.path("shortNames")),
                    texts(names.path("categories")), version.path("subresources").has("status"),
                    version.path("subresources").has("scale")));
        }
        return resources;
    }

    /** The verbs a kind's client markers allow: all by default, {@code onlyVerbs}, minus {@code skipVerbs}; none for {@code noVerbs}. */
    private static List<String> verbs(List<String> markers) {
        List<String> verbs = new ArrayList<>(ALL_VERBS);
        for (String marker : markers) {
            if (marker.equals("+genclient:noVerbs")) {
                return List.of();
            }
            if (marker.startsWith("+genclient:onlyVerbs=")) {
                verbs.retainAll(List.of(marker.substring(marker.indexOf('=') + 1).split(",")));
            }
            if (marker.startsWith("+genclient:skipVerbs=")) {
                List.of(marker.substring(marker.indexOf('=') + 1).split(",")).forEach(v -> verbs.remove(v.toLowerCase(Locale.ROOT)));
            }
        }
        return verbs;
    }

    /** Kubernetes' version priority: GA before beta before alpha, higher numbers first (v2, v1, v1beta2, v1alpha1). */
    private static int byPriority(String a, String b) {
        return Comparator.comparing(Discovery::rank).reversed().thenComparing(Comparator.naturalOrder()).compare(a, b);
    }

    private static Long rank(String version) {
        Matcher matcher = VERSION.matcher(version);
        if (!matcher.matches()) {
            return -1L;
        }
        long stability = matcher.group(2) == null ? 3 : matcher.group(2).equals("beta") ? 2 : 1;
        long minor = matcher.group(3) == null ? 0 : Long.parseLong(matcher.group(3));
        return stability * 1_000_000 + Long.parseLong(matcher.group(1)) * 1_000 + minor;
    }

    private static ObjectNode object(String kind) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("kind", kind).put("apiVersion", "v1");
        return node;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asString()));
        return texts;
    }

    /** The resources grouped by apiVersion, in serving order (for the OpenAPI document). */
    Map<String, List<Resource>> byApiVersion() {
        Map<String, List<Resource>> grouped = new LinkedHashMap<>();
        resources.forEach(r -> grouped.computeIfAbsent(r.apiVersion(), v -> new ArrayList<>()).add(r));
        return grouped;
    }
}
