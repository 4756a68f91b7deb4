package io.driftwarden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's server-side apply and managedFields against the library a real kube-apiserver uses for them
 * (sigs.k8s.io/structured-merge-diff 4.1.2, run by {@code ../shared/tools/smd-oracle}): each scenario of
 * {@code smd/scenarios/} (applies, creates, PUTs, merge patches and scales by named managers) is replayed over HTTP
 * and, after every step, compared with the oracle's committed output {@code smd/oracle-out.json}: the outcome (2xx,
 * or 409 with the same conflicting managers and paths in {@code details.causes}), the stored object (without server
 * metadata and status, nulls and empty maps left out on both sides) and managedFields as sets of field paths per
 * manager, operation and subresource. Regenerate the golden output with {@code smd/scenarios.py}.
 *
 * <p>What it cannot prove: anything the oracle does not model — defaulting beyond {@code protocol: TCP} list keys,
 * validation, admission, API version conversion, the order of merged list elements (SMD 4.1.2's, not a newer
 * server's), managedFields timestamps; nor kinds and fields the scenarios do not touch.
 */
class SmdOracleIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RESOURCES = "smd/";
    private static final Map<String, String> PLURALS = Map.of("Deployment", "deployments", "Service", "services",
            "ConfigMap", "configmaps", "Secret", "secrets", "ClusterRole", "clusterroles", "NetworkPolicy", "networkpolicies",
            "RoleBinding", "rolebindings", "StatefulSet", "statefulsets");
    private static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole");
    private static final Set<String> SERVER_METADATA = Set.of("uid", "resourceVersion", "creationTimestamp", "generation",
            "managedFields", "name", "namespace", "selfLink");

    private static Sandbox sandbox;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        sandbox = Sandbox.startWithoutDefaults(0); // the oracle models no defaulting: ownership alone is compared (DefaultsIT covers defaults)
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @TestFactory
    Stream<DynamicTest> agreesWithStructuredMergeDiffOnEveryScenario() {
        JsonNode oracle = read("oracle-out.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < oracle.size(); i++) {
            JsonNode expected = oracle.get(i);
            String number = "%02d".formatted(i + 1);
            JsonNode scenario = read("scenarios/" + number + "-" + expected.path("name").asString() + ".json");
            tests.add(DynamicTest.dynamicTest(scenario.path("name").asString() + ": " + scenario.path("about").asString(),
                    () -> assertThat(replay(scenario, expected.path("steps"), number)).isEmpty()));
        }
        return tests.stream();
    }

    /** Every difference from the oracle, one line each, for every step. */
    private static List<String> replay(JsonNode scenario, JsonNode oracleSteps, String number) throws Exception {
        String kind = scenario.path("kind").asString();
        String namespace = "smd-" + number;
        send("POST", "/api/v1/namespaces", "application/json",
                JSON.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}"));
        String base = (scenario.path("apiVersion").asString().contains("/") ? "/apis/" : "/api/") + scenario.path("apiVersion").asString()
                + (CLUSTER_SCOPED.contains(kind) ? "" : "/namespaces/" + namespace) + "/" + PLURALS.get(kind);
        String name = scenario.path("steps").get(0).path("object").path("metadata").path("name").asString()
                + (CLUSTER_SCOPED.contains(kind) ? "-" + namespace : "");
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < scenario.path("steps").size(); i++) {
            JsonNode step = scenario.path("steps").get(i);
            HttpResponse<String> response = send(step, base, name, kind, namespace);
            JsonNode live = JSON.readTree(send("GET", base + "/" + name, null, null).body());
            String at = "step " + (i + 1) + " (" + step.path("manager").asString() + " " + step.path("operation").asString()
                    + (step.has("verb") ? "/" + step.path("verb").asString() : "") + "): ";
            compare(oracleSteps.get(i), response, live).forEach(d -> differences.add(at + d));
        }
        return differences;
    }

    private static List<String> compare(JsonNode expected, HttpResponse<String> response, JsonNode live) {
        List<String> out = new ArrayList<>();
        String outcome = expected.path("status").asString();
        int code = response.statusCode();
        if (outcome.equals("conflict") && code == 409) {
            Set<String> theirs = new TreeSet<>();
            expected.path("conflicts").forEach(c -> theirs.add(c.path("manager").asString() + " " + normalized(c.path("path").asString())));
            Set<String> ours = new TreeSet<>();
            JSON.readTree(response.body()).path("details").path("causes").forEach(c -> {
                Matcher manager = Pattern.compile("conflict with \"([^\"]+)\"").matcher(c.path("message").asString(""));
                ours.add((manager.find() ? manager.group(1) : "?") + " " + normalized(c.path("field").asString("")));
            });
            if (!theirs.equals(ours)) {
                out.add("conflicts: oracle " + theirs + ", sandbox " + ours);
            }
            String message = JSON.readTree(response.body()).path("message").asString("");
            if (!message.equals(expected.path("message").asString())) {
                out.add("409 message: oracle " + expected.path("message") + ", sandbox \"" + message + "\"");
            }
        } else if (outcome.equals("ok") != (code >= 200 && code < 300) || outcome.equals("conflict") != (code == 409)) {
            out.add("outcome: oracle " + outcome + " " + expected.path("conflicts") + ", sandbox HTTP " + code + " " + response.body());
        }
        JsonNode want = withoutEmpties(stripped(expected.path("object")));
        JsonNode got = withoutEmpties(stripped(live));
        if (!want.equals(got)) {
            out.add("object: oracle " + want + "\n          sandbox " + got);
        }
        Map<String, Set<String>> theirs = fieldSets(expected.path("managedFields"));
        Map<String, Set<String>> ours = fieldSets(live.path("metadata").path("managedFields"));
        for (String entry : union(theirs.keySet(), ours.keySet())) {
            Set<String> missing = new TreeSet<>(theirs.getOrDefault(entry, Set.of()));
            missing.removeAll(ours.getOrDefault(entry, Set.of()));
            Set<String> extra = new TreeSet<>(ours.getOrDefault(entry, Set.of()));
            extra.removeAll(theirs.getOrDefault(entry, Set.of()));
            if (!missing.isEmpty() || !extra.isEmpty()) {
                out.add("managedFields " + entry + ": oracle only " + missing + ", sandbox only " + extra);
            }
        }
        return out;
    }

    /** {@code .spec.containers[name="app"].image} and {@code .spec.containers[name=app].image} alike. */
    private static String normalized(String path) {
        String p = path.strip().replace("\\\"", "\"").replace("\"", "");
        return p.startsWith(".") ? p : "." + p;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** managedFields as sets of paths per manager/operation/subresource. */
    private static Map<String, Set<String>> fieldSets(JsonNode entries) {
        Map<String, Set<String>> sets = new TreeMap<>();
        for (JsonNode entry : entries) {
            String id = entry.path("manager").asString("") + "/" + entry.path("operation").asString("")
                    + (entry.path("subresource").asString("").isEmpty() ? "" : "/" + entry.path("subresource").asString());
            paths(entry.path("fieldsV1"), "", sets.computeIfAbsent(id, k -> new TreeSet<>()));
        }
        return sets;
    }

    private static void paths(JsonNode fields, String prefix, Set<String> out) {
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            if (field.getKey().equals(".")) {
                out.add(prefix);
                continue;
            }
            String key = field.getKey();
            if (key.startsWith("k:") || key.startsWith("v:")) {
                key = key.substring(0, 2) + canonical(JSON.readTree(key.substring(2)));
            }
            String path = prefix + "/" + key;
            if (field.getValue().isEmpty()) {
                out.add(path);
            } else {
                paths(field.getValue(), path, out);
            }
        }
    }

    private static String canonical(JsonNode value) {
        if (value instanceof ObjectNode object) {
            Map<String, String> sorted = new TreeMap<>();
            object.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            StringBuilder s = new StringBuilder("{");
            sorted.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
            return s.append('}').toString();
        }
        return value.toString();
    }

    private static JsonNode stripped(JsonNode object) {
        ObjectNode copy = object.isObject() ? (ObjectNode) object.deepCopy() : JSON.createObjectNode();
        copy.remove("status");
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            SERVER_METADATA.forEach(metadata::remove);
        }
        return copy;
    }

    /** Without nulls and empty maps (a real server leaves many out, and so does the oracle); empty lists stay. */
    private static JsonNode withoutEmpties(JsonNode value) {
        if (value instanceof ObjectNode object) {
            ObjectNode out = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode v = withoutEmpties(field.getValue());
                if (!v.isNull() && !(v.isObject() && v.isEmpty())) {
                    out.set(field.getKey(), v);
                }
            }
            return out;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode out = JSON.createArrayNode();
            array.forEach(v -> out.add(withoutEmpties(v)));
            return out;
        }
        return value;
    }

    private static HttpResponse<String> send(JsonNode step, String base, String name, String kind, String namespace) throws Exception {
        String manager = "?fieldManager=" + URLEncoder.encode(step.path("manager").asString(), StandardCharsets.UTF_8);
        if (step.path("operation").asString().equals("Apply")) {
            return send("PATCH", base + "/" + name + manager + "&force=" + step.path("force").asBoolean(false),
                    "application/apply-patch+yaml", placed(step.path("object"), kind, namespace));
        }
        return switch (step.path("verb").asString("put")) {
            case "create" -> send("POST", base + manager, "application/json", placed(step.path("object"), kind, namespace));
            case "put" -> send("PUT", base + "/" + name + manager, "application/json", placed(step.path("object"), kind, namespace));
            case "merge" -> send("PATCH", base + "/" + name + manager, "application/merge-patch+json", step.path("patch"));
            case "scale" -> send("PUT", base + "/" + name + "/scale" + manager, "application/json", JSON.readTree(
                    "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                            + namespace + "\"},\"spec\":{\"replicas\":" + step.path("replicas").asInt() + "}}"));
            default -> throw new IllegalArgumentException(step.toString());
        };
    }

    private static JsonNode placed(JsonNode object, String kind, String namespace) {
        ObjectNode copy = (ObjectNode) object.deepCopy();
        ObjectNode metadata = (ObjectNode) copy.path("metadata");
        if (CLUSTER_SCOPED.contains(kind)) {
            metadata.put("name", metadata.path("name").asString() + "-" + namespace);
        } else {
            metadata.put("namespace", namespace);
        }
        return copy;
    }

    private static HttpResponse<String> send(String method, String path, String contentType, JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.url() + path)).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode read(String resource) {
        try (InputStream in = SmdOracleIT.class.getResourceAsStream(RESOURCES + resource)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
