package io.driftwarden.jobs.exceptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.ExceptionSpec;
import io.driftwarden.config.Glob;
import io.driftwarden.jobs.diff.DriftType;
import io.driftwarden.jobs.exceptions.ExceptionMatcher.Changed;
import io.driftwarden.jobs.exceptions.ExceptionMatcher.Target;
import io.driftwarden.kube.FieldPath;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** The exception matcher, one row per rule — the threats among them. */
class ExceptionMatcherTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-12-03T11:00:00Z");
    private static final LocalDate NEXT_MONTH = LocalDate.of(2027, 1, 3);

    private static final Target FRONTEND = new Target("web-prod", "prod", "web", "Deployment", "frontend", DriftType.MODIFIED, false);

    private static final Changed REPLICAS = path("/spec/replicas", "spec", "replicas");
    private static final Changed IMAGE = new Changed(FieldPath.root().with("spec").with("template").with("spec").with("containers")
            .with(FieldPath.key(JSON.readTree("{\"name\":\"web\"}"), List.of("name"), null)).with("image"),
            "/spec/template/spec/containers/0/image");
    private static final Changed SIDECAR_IMAGE = new Changed(FieldPath.root().with("spec").with("template").with("spec").with("containers")
            .with(FieldPath.key(JSON.readTree("{\"name\":\"web2\"}"), List.of("name"), null)).with("image"),
            "/spec/template/spec/containers/1/image");
    private static final Changed UDP_PORT = new Changed(FieldPath.root().with("spec").with("ports")
            .with(FieldPath.key(JSON.readTree("{\"port\":53,\"protocol\":\"UDP\"}"), List.of("port", "protocol"), null)).with("name"),
            "/spec/ports/1/name");
    private static final Changed FINALIZER = new Changed(FieldPath.root().with("spec").with("finalizers")
            .with(FieldPath.value(JSON.readTree("\"kubernetes\""))), "/spec/finalizers/0");

    private static Changed path(String pointer, String... fields) {
        FieldPath path = FieldPath.root();
        for (String field : fields) {
            path = path.with(field);
        }
        return new Changed(path, pointer);
    }

    private static ExceptionSpec exception(String name, String binding, String namespace, String kind, String object,
                                           LocalDate expires, String... paths) {
        return new ExceptionSpec(name, Glob.of(binding), Glob.ANY, Glob.of(namespace), kind, Glob.of(object),
                Arrays.stream(paths).map(ExceptionSpec.PathPattern::parse).toList(), "incident", "lead@example.com", "CHG-1",
                expires, "driftwarden.yaml:1");
    }

    private static ExceptionSpec replicas(String binding, String namespace, String kind, String object) {
        return exception("hotfix", binding, namespace, kind, object, NEXT_MONTH, "spec.replicas");
    }

    static Stream<Arguments> rows() {
        ExceptionSpec hotfix = replicas("web-prod", "web", "Deployment", "frontend");
        return Stream.of(
                Arguments.of("the named path of the named object", List.of(hotfix), FRONTEND, List.of(REPLICAS), NOW, "hotfix", List.of()),
                Arguments.of("a JSON pointer names the same path", List.of(exception("ptr", "*", "*", "Deployment", "frontend",
                        NEXT_MONTH, "/spec/replicas")), FRONTEND, List.of(REPLICAS), NOW, "ptr", List.of()),
                Arguments.of("a pointer with a list index, as the live object holds it", List.of(exception("idx", "*", "*",
                        "Deployment", "frontend", NEXT_MONTH, "/spec/template/spec/containers/0/image")), FRONTEND, List.of(IMAGE), NOW,
                        "idx", List.of()),
                Arguments.of("a path covers what is below it", List.of(exception("web", "*", "*", "Deployment", "frontend",
                        NEXT_MONTH, "spec.template.spec.containers[name=web]")), FRONTEND, List.of(IMAGE), NOW, "web", List.of()),
                Arguments.of("map-list keys in any order", List.of(exception("udp", "*", "*", "Deployment", "frontend",
                        NEXT_MONTH, "spec.ports[protocol=UDP,port=53]")), FRONTEND, List.of(UDP_PORT), NOW, "udp", List.of()),
                Arguments.of("a set member by value", List.of(exception("fin", "*", "*", "Deployment", "frontend",
                        NEXT_MONTH, "spec.finalizers[=kubernetes]")), FRONTEND, List.of(FINALIZER), NOW, "fin", List.of()),
                Arguments.of("still covers on its last day, 23:59:59 UTC", List.of(exception("last", "*", "*", "Deployment",
                        "frontend", LocalDate.of(2026, 12, 3), "spec.replicas")), FRONTEND, List.of(REPLICAS),
                        Instant.parse("2026-12-03T23:59:59Z"), "last", List.of()),
                Arguments.of("an active exception wins over an expired one", List.of(exception("old", "*", "*", "Deployment",
                        "frontend", LocalDate.of(2026, 11, 1), "spec.replicas"), hotfix), FRONTEND, List.of(REPLICAS), NOW, "hotfix",
                        List.of()),
                // threats and limits
                Arguments.of("THREAT: a partly covered drift is not covered", List.of(hotfix), FRONTEND, List.of(REPLICAS, IMAGE),
                        NOW, null, List.of()),
                Arguments.of("THREAT: a tenancy refusal is never covered", List.of(hotfix),
                        new Target("web-prod", "prod", "web", "Deployment", "frontend", DriftType.MODIFIED, true), List.of(REPLICAS),
                        NOW, null, List.of()),
                Arguments.of("THREAT: a prune (an object that left Git) is never covered", List.of(hotfix),
                        new Target("web-prod", "prod", "web", "Deployment", "frontend", DriftType.EXTRA, false), List.of(REPLICAS),
                        NOW, null, List.of()),
                Arguments.of("THREAT: a deleted object is never covered", List.of(exception("all", "*", "*", "Deployment",
                        "*", NEXT_MONTH, "spec")), new Target("web-prod", "prod", "web", "Deployment", "frontend", DriftType.MISSING,
                        false), List.of(), NOW, null, List.of()),
                Arguments.of("THREAT: a name glob matches the whole name, not a prefix", List.of(replicas("web-prod", "web",
                        "Deployment", "front")), FRONTEND, List.of(REPLICAS), NOW, null, List.of()),
                Arguments.of("THREAT: a dot in a glob is a dot", List.of(replicas("web.prod", "web", "Deployment", "frontend")),
                        new Target("webXprod", "prod", "web", "Deployment", "frontend", DriftType.MODIFIED, false), List.of(REPLICAS),
                        NOW, null, List.of()),
                Arguments.of("THREAT: another namespace is not covered", List.of(hotfix),
                        new Target("web-prod", "prod", "other", "Deployment", "frontend", DriftType.MODIFIED, false),
                        List.of(REPLICAS), NOW, null, List.of()),
                Arguments.of("THREAT: kind is exact", List.of(replicas("*", "*", "deployment", "frontend")), FRONTEND,
                        List.of(REPLICAS), NOW, null, List.of()),
                Arguments.of("THREAT: spec.replicas does not cover spec.replicasMax", List.of(hotfix), FRONTEND,
                        List.of(path("/spec/replicasMax", "spec", "replicasMax")), NOW, null, List.of()),
                Arguments.of("THREAT: an element key names one element only", List.of(exception("web", "*", "*", "Deployment",
                        "frontend", NEXT_MONTH, "spec.template.spec.containers[name=web]")), FRONTEND, List.of(SIDECAR_IMAGE), NOW,
                        null, List.of()),
                Arguments.of("THREAT: a pointer to another index is another element", List.of(exception("idx", "*", "*",
                        "Deployment", "frontend", NEXT_MONTH, "/spec/template/spec/containers/0")), FRONTEND, List.of(SIDECAR_IMAGE),
                        NOW, null, List.of()),
                Arguments.of("expired the second after its last day: covers nothing, named as expired", List.of(exception("old", "*",
                        "*", "Deployment", "frontend", LocalDate.of(2026, 12, 3), "spec.replicas")), FRONTEND, List.of(REPLICAS),
                        Instant.parse("2026-12-04T00:00:00Z"), null, List.of("old")),
                Arguments.of("an expired exception that would not have covered the drift is not named", List.of(exception("old",
                        "*", "*", "Deployment", "frontend", LocalDate.of(2026, 11, 1), "spec.replicas")), FRONTEND,
                        List.of(REPLICAS, IMAGE), NOW, null, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decidesWhetherAnExceptionCoversADrift(String rule, List<ExceptionSpec> exceptions, Target target, List<Changed> paths,
                                               Instant now, String covering, List<String> expired) {
        ExceptionMatcher.Verdict verdict = ExceptionMatcher.judge(exceptions, target, paths, now);

        assertThat(verdict.covering() == null ? null : verdict.covering().name()).as(rule).isEqualTo(covering);
        assertThat(verdict.expired()).extracting(ExceptionSpec::name).as(rule).containsExactlyElementsOf(expired);
    }
}
