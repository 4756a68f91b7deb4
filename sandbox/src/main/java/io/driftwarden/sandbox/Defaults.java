package io.driftwarden.sandbox;

import io.driftwarden.kube.FieldType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The defaults a real API server writes into the built-in kinds the demo and the tests use, before it stores an
 * object (create, update, every patch, server-side apply — dry-runs included). Two sources, as Kubernetes' generated
 * {@code SetObjectDefaults_*} functions have them:
 * <ul>
 *   <li>the {@code +default=} markers of k8s.io/api, as data ({@code marker-defaults.json}, taken from
 *       {@code ../shared/fixtures/k8s-openapi/k8s-go-types.json});</li>
 *   <li>the hand-written {@code SetDefaults_*} functions of k8s.io/kubernetes, one entry per Go type below, each naming
 *       its file.</li>
 * </ul>
 * A type's defaults run before those of the values inside it (the generated functions call the object's
 * {@code SetDefaults_} first, then walk its fields), so a value one default adds is defaulted in turn. Everything else a
 * real server fills in is not modelled: allocations by a registry (a Service's {@code clusterIP}, {@code ipFamilies}),
 * a Job's generated selector and labels, admission (LimitRanger, ServiceAccount), CRD schema defaults.
 */
final class Defaults {

    private static final String CORE = "k8s.io/kubernetes pkg/apis/core/v1/defaults.go";
    private static final String APPS = "k8s.io/kubernetes pkg/apis/apps/v1/defaults.go";
    private static final String BATCH = "k8s.io/kubernetes pkg/apis/batch/v1/defaults.go";

    /** One {@code SetDefaults_<type>} function: the Go type it defaults, its source file, what it does. */
    record Function(String type, String source, Consumer<ObjectNode> defaults) {
    }

    /** The {@code SetDefaults_*} functions modelled, by Go type ({@code apps/v1.Deployment}). */
    static final Map<String, Function> FUNCTIONS = index(List.of(
            new Function("apps/v1.Deployment", APPS, Defaults::deployment),
            new Function("apps/v1.StatefulSet", APPS, Defaults::statefulSet),
            new Function("apps/v1.DaemonSet", APPS, Defaults::daemonSet),
            new Function("apps/v1.ReplicaSet", APPS, o -> spec(o).putIfAbsent("replicas", number(1))),
            new Function("batch/v1.Job", BATCH, Defaults::job),
            new Function("batch/v1.CronJob", BATCH, Defaults::cronJob),
            new Function("core/v1.Service", CORE, Defaults::service),
            new Function("core/v1.Pod", CORE, Defaults::pod),
            new Function("core/v1.PodSpec", CORE, Defaults::podSpec),
            new Function("core/v1.Container", CORE, Defaults::container),
            new Function("core/v1.EphemeralContainer", CORE, Defaults::container),
            new Function("core/v1.Probe", CORE, Defaults::probe),
            new Function("core/v1.HTTPGetAction", CORE, Defaults::httpGet),
            new Function("core/v1.Volume", CORE, Defaults::volume),
            new Function("core/v1.SecretVolumeSource", CORE, o -> o.putIfAbsent("defaultMode", number(0644))),
            new Function("core/v1.ConfigMapVolumeSource", CORE, o -> o.putIfAbsent("defaultMode", number(0644))),
            new Function("core/v1.DownwardAPIVolumeSource", CORE, o -> o.putIfAbsent("defaultMode", number(0644))),
            new Function("core/v1.ProjectedVolumeSource", CORE, o -> o.putIfAbsent("defaultMode", number(0644))),
            new Function("core/v1.ServiceAccountTokenProjection", CORE, o -> o.putIfAbsent("expirationSeconds", number(3600))),
            new Function("core/v1.HostPathVolumeSource", CORE, o -> o.putIfAbsent("type", text(""))),
            new Function("core/v1.PersistentVolumeClaimSpec", CORE, o -> o.putIfAbsent("volumeMode", text("Filesystem"))),
            new Function("core/v1.ObjectFieldSelector", CORE, o -> o.putIfAbsent("apiVersion", text("v1")))));

    /** The {@code +default=} markers, by Go type then JSON field. */
    static final Map<String, Map<String, JsonNode>> MARKERS = markers();

    private static final ObjectMapper JSON = new ObjectMapper();

    private Defaults() {
    }

    /** Fills in, through the whole object, every default this class models that the object does not set. */
    static void apply(JsonNode value, FieldType type) {
        if (value instanceof ObjectNode object) {
            if (type instanceof FieldType.Struct struct) {
                MARKERS.getOrDefault(struct.name(), Map.of()).forEach((field, fallback) -> object.putIfAbsent(field, fallback.deepCopy()));
                Function function = FUNCTIONS.get(struct.name());
                if (function != null) {
                    function.defaults().accept(object);
                }
            }
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                FieldType child = type instanceof FieldType.Struct struct ? struct.field(field.getKey()).type()
                        : type instanceof FieldType.MapOf map ? map.values() : FieldType.Untyped.INSTANCE;
                apply(field.getValue(), child);
            }
        } else if (value instanceof ArrayNode array && type instanceof FieldType.ListOf list) {
            array.forEach(element -> apply(element, list.element()));
        }
    }

    // ---- apps/v1 (k8s.io/kubernetes pkg/apis/apps/v1/defaults.go)

    /** SetDefaults_Deployment: replicas 1, a RollingUpdate strategy of 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600. */
    private static void deployment(ObjectNode deployment) {
        ObjectNode spec = spec(deployment);
        spec.putIfAbsent("replicas", number(1));
        ObjectNode strategy = child(spec, "strategy");
        strategy.putIfAbsent("type", text("RollingUpdate"));
        if (strategy.path("type").asString("").equals("RollingUpdate")) {
            ObjectNode rollingUpdate = child(strategy, "rollingUpdate");
            rollingUpdate.putIfAbsent("maxUnavailable", text("25%"));
            rollingUpdate.putIfAbsent("maxSurge", text("25%"));
        }
        spec.putIfAbsent("revisionHistoryLimit", number(10));
        spec.putIfAbsent("progressDeadlineSeconds", number(600));
    }

    /**
     * SetDefaults_StatefulSet: podManagementPolicy OrderedReady, a RollingUpdate strategy with partition 0, the PVC
     * retention policy Retain/Retain (feature StatefulSetAutoDeletePVC, on by default since 1.27, GA in 1.32), replicas 1,
     * revisionHistoryLimit 10.
     */
    private static void statefulSet(ObjectNode statefulSet) {
        ObjectNode spec = spec(statefulSet);
        spec.putIfAbsent("podManagementPolicy", text("OrderedReady"));
        ObjectNode strategy = child(spec, "updateStrategy");
        if (strategy.path("type").asString("").isEmpty()) {
            strategy.put("type", "RollingUpdate");
            child(strategy, "rollingUpdate");
        }
        if (strategy.path("type").asString("").equals("RollingUpdate") && strategy.path("rollingUpdate").isObject()) {
            ((ObjectNode) strategy.get("rollingUpdate")).putIfAbsent("partition", number(0));
        }
        ObjectNode retention = child(spec, "persistentVolumeClaimRetentionPolicy");
        retention.putIfAbsent("whenDeleted", text("Retain"));
        retention.putIfAbsent("whenScaled", text("Retain"));
        spec.putIfAbsent("replicas", number(1));
        spec.putIfAbsent("revisionHistoryLimit", number(10));
    }

    /** SetDefaults_DaemonSet: a RollingUpdate strategy of maxUnavailable 1, maxSurge 0; revisionHistoryLimit 10. */
    private static void daemonSet(ObjectNode daemonSet) {
        ObjectNode spec = spec(daemonSet);
        ObjectNode strategy = child(spec, "updateStrategy");
        strategy.putIfAbsent("type", text("RollingUpdate"));
        if (strategy.path("type").asString("").equals("RollingUpdate")) {
            ObjectNode rollingUpdate = child(strategy, "rollingUpdate");
            rollingUpdate.putIfAbsent("maxUnavailable", number(1));
            rollingUpdate.putIfAbsent("maxSurge", number(0));
        }
        spec.putIfAbsent("revisionHistoryLimit", number(10));
    }

    // ---- batch/v1 (k8s.io/kubernetes pkg/apis/batch/v1/defaults.go)

    /**
     * SetDefaults_Job: completions and parallelism 1 when neither is set (else parallelism 1), backoffLimit 6, the
     * template's labels as the Job's when it has none, completionMode NonIndexed, suspend false.
     */
    private static void job(ObjectNode job) {
        ObjectNode spec = spec(job);
        if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
            spec.put("completions", 1);
        }
        spec.putIfAbsent("parallelism", number(1));
        spec.putIfAbsent("backoffLimit", number(6));
        JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
        if (templateLabels.isObject() && job.path("metadata").path("labels").size() == 0 && job.path("metadata").isObject()) {
            ((ObjectNode) job.get("metadata")).set("labels", templateLabels.deepCopy());
        }
        spec.putIfAbsent("completionMode", text("NonIndexed"));
        spec.putIfAbsent("suspend", JSON.getNodeFactory().booleanNode(false));
    }

    /** SetDefaults_CronJob: concurrencyPolicy Allow, suspend false, successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1. */
    private static void cronJob(ObjectNode cronJob) {
        ObjectNode spec = spec(cronJob);
        spec.putIfAbsent("concurrencyPolicy", text("Allow"));
        spec.putIfAbsent("suspend", JSON.getNodeFactory().booleanNode(false));
        spec.putIfAbsent("successfulJobsHistoryLimit", number(3));
        spec.putIfAbsent("failedJobsHistoryLimit", number(1));
    }

    // ---- core/v1 (k8s.io/kubernetes pkg/apis/core/v1/defaults.go)

    /**
     * SetDefaults_Service: sessionAffinity None (and no sessionAffinityConfig then; ClientIP gets a 10800 s timeout), type
     * ClusterIP, each port's protocol TCP and targetPort its port, externalTrafficPolicy Cluster when externally
     * accessible (NodePort, LoadBalancer, or externalIPs — k8s.io/kubernetes pkg/api/v1/service/util.go), internalTrafficPolicy
     * Cluster for ClusterIP, NodePort and LoadBalancer, allocateLoadBalancerNodePorts true for LoadBalancer.
     */
    private static void service(ObjectNode service) {
        ObjectNode spec = spec(service);
        spec.putIfAbsent("sessionAffinity", text("None"));
        String affinity = spec.path("sessionAffinity").asString("");
        if (affinity.equals("None")) {
            spec.remove("sessionAffinityConfig");
        } else if (affinity.equals("ClientIP") && !spec.path("sessionAffinityConfig").path("clientIP").hasNonNull("timeoutSeconds")) {
            spec.putObject("sessionAffinityConfig").putObject("clientIP").put("timeoutSeconds", 10800);
        }
        spec.putIfAbsent("type", text("ClusterIP"));
        String type = spec.path("type").asString("");
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p) {
                p.putIfAbsent("protocol", text("TCP"));
                JsonNode target = p.path("targetPort");
                if (target.isMissingNode() || target.isNull() || target.asString("").isEmpty() || (target.isNumber() && target.asInt() == 0)) {
                    p.set("targetPort", p.path("port").deepCopy());
                }
            }
        }
        boolean external = type.equals("LoadBalancer") || type.equals("NodePort")
                || (type.equals("ClusterIP") && spec.path("externalIPs").size() > 0);
        if (external) {
            spec.putIfAbsent("externalTrafficPolicy", text("Cluster"));
        }
        if (List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
            spec.putIfAbsent("internalTrafficPolicy", text("Cluster"));
        }
        if (type.equals("LoadBalancer")) {
            spec.putIfAbsent("allocateLoadBalancerNodePorts", JSON.getNodeFactory().booleanNode(true));
        }
    }

    /**
     * SetDefaults_Pod (a Pod only, not a template): each container's requests default to its limits, enableServiceLinks
     * true, and with hostNetwork each container port's hostPort its containerPort. (Pod-level resources, feature
     * PodLevelResources, off by default, are not modelled.)
     */
    private static void pod(ObjectNode pod) {
        ObjectNode spec = spec(pod);
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : spec.path(list)) {
                JsonNode limits = container.path("resources").path("limits");
                if (limits.isObject() && container instanceof ObjectNode c) {
                    ObjectNode requests = child(child(c, "resources"), "requests");
                    limits.properties().forEach(limit -> requests.putIfAbsent(limit.getKey(), limit.getValue().deepCopy()));
                }
                if (spec.path("hostNetwork").asBoolean(false)) {
                    for (JsonNode port : container.path("ports")) {
                        if (port instanceof ObjectNode p && p.path("hostPort").asInt(0) == 0) {
                            p.set("hostPort", p.path("containerPort").deepCopy());
                        }
                    }
                }
            }
        }
        spec.putIfAbsent("enableServiceLinks", JSON.getNodeFactory().booleanNode(true));
    }

    /** SetDefaults_PodSpec: dnsPolicy ClusterFirst, restartPolicy Always, securityContext {}, terminationGracePeriodSeconds 30, schedulerName default-scheduler. */
    private static void podSpec(ObjectNode spec) {
        spec.putIfAbsent("dnsPolicy", text("ClusterFirst"));
        spec.putIfAbsent("restartPolicy", text("Always"));
        spec.putIfAbsent("securityContext", JSON.createObjectNode());
        spec.putIfAbsent("terminationGracePeriodSeconds", number(30));
        spec.putIfAbsent("schedulerName", text("default-scheduler"));
    }

    /**
     * SetDefaults_Container (and SetDefaults_EphemeralContainer): imagePullPolicy Always for the tag {@code latest} or no
     * tag and no digest (k8s.io/kubernetes pkg/util/parsers/parsers.go ParseImageName), else IfNotPresent;
     * terminationMessagePath /dev/termination-log; terminationMessagePolicy File.
     */
    private static void container(ObjectNode container) {
        container.putIfAbsent("imagePullPolicy", text(tag(container.path("image").asString("")).equals("latest") ? "Always" : "IfNotPresent"));
        container.putIfAbsent("terminationMessagePath", text("/dev/termination-log"));
        container.putIfAbsent("terminationMessagePolicy", text("File"));
    }

    /** SetDefaults_Probe: timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3. */
    private static void probe(ObjectNode probe) {
        probe.putIfAbsent("timeoutSeconds", number(1));
        probe.putIfAbsent("periodSeconds", number(10));
        probe.putIfAbsent("successThreshold", number(1));
        probe.putIfAbsent("failureThreshold", number(3));
    }

    /** SetDefaults_HTTPGetAction: path /, scheme HTTP. */
    private static void httpGet(ObjectNode action) {
        action.putIfAbsent("path", text("/"));
        action.putIfAbsent("scheme", text("HTTP"));
    }

    /** SetDefaults_Volume: a volume with no source is an emptyDir. (Image volumes, feature ImageVolume, are not modelled.) */
    private static void volume(ObjectNode volume) {
        if (volume.size() == 1 && volume.has("name")) {
            volume.putObject("emptyDir");
        }
    }

    /** The tag of an image reference: after the last ':' of its last path segment; "latest" when it has neither tag nor digest. */
    static String tag(String image) {
        int at = image.indexOf('@');
        String name = at < 0 ? image : image.substring(0, at);
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            return name.substring(colon + 1);
        }
        return at < 0 ? "latest" : "";
    }

    private static ObjectNode spec(ObjectNode object) {
        return child(object, "spec");
    }

    /** The object at {@code name}, created empty when absent (as Go's defaulters allocate a nil struct pointer). */
    private static ObjectNode child(ObjectNode parent, String name) {
        JsonNode existing = parent.get(name);
        if (existing instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(name);
    }

    private static JsonNode number(int value) {
        return JSON.getNodeFactory().numberNode(value);
    }

    private static JsonNode text(String value) {
        return JSON.getNodeFactory().stringNode(value);
    }

    private static Map<String, Function> index(List<Function> functions) {
        Map<String, Function> byType = new HashMap<>();
        functions.forEach(f -> byType.put(f.type(), f));
        return Map.copyOf(byType);
    }

    private static Map<String, Map<String, JsonNode>> markers() {
        try (InputStream in = Defaults.class.getResourceAsStream("marker-defaults.json")) {
            if (in == null) {
                throw new IllegalStateException("marker-defaults.json is missing from the sandbox's resources");
            }
            JsonNode defaults = new ObjectMapper().readTree(in).path("defaults");
            Map<String, Map<String, JsonNode>> byType = new HashMap<>();
            defaults.properties().forEach(type -> {
                Map<String, JsonNode> fields = new HashMap<>();
                type.getValue().properties().forEach(field -> fields.put(field.getKey(), field.getValue()));
                byType.put(type.getKey(), Map.copyOf(fields));
            });
            return Map.copyOf(byType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
