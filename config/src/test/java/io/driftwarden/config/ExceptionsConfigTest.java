package io.driftwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExceptionsConfigTest {

    private static final Path FILE = Path.of("/etc/driftwarden/driftwarden.yaml");
    private static final Clock TODAY = Clock.fixed(Instant.parse("2026-12-03T11:00:00Z"), ZoneOffset.UTC);

    private static final String BASE = """
            sources:
              - name: platform
                url: file:///srv/git/platform.git
            clusters:
              - name: prod
                kubeconfig: kube/prod.yaml
            bindings:
              - name: web-prod
                source: platform
                cluster: prod
                namespace: web
            """;

    private static DriftwardenConfig parse(String exceptions) {
        return ConfigLoader.parse(BASE + exceptions, FILE, CronCheck.NONE, TODAY);
    }

    private static List<String> problems(String exceptions) {
        try {
            parse(exceptions);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("the config was accepted");
    }

    @Test
    void readsTheIssuesShapeWhereTheSecondNameIsTheObjects() {
        DriftwardenConfig config = parse("""
                exceptions:
                  - name: hotfix-replicas
                    binding: web-prod              # globs; also cluster:, namespace:, name:
                    kind: Deployment
                    name: frontend
                    paths: [spec.replicas, "spec.template.spec.containers[name=web].image", /spec/minReadySeconds]
                    reason: scaled by hand during the incident, until the fix ships
                    approvedBy: platform-lead@example.com
                    ticket: CHG-1234
                    expires: 2027-01-15
                """);

        ExceptionSpec hotfix = config.exceptions().exceptions().get(0);
        assertThat(config.exceptions().maxDays()).isEqualTo(90);
        assertThat(hotfix.name()).isEqualTo("hotfix-replicas");
        assertThat(hotfix.objectName()).isEqualTo(Glob.of("frontend"));
        assertThat(hotfix.binding()).isEqualTo(Glob.of("web-prod"));
        assertThat(hotfix.cluster()).isEqualTo(Glob.ANY);
        assertThat(hotfix.kind()).isEqualTo("Deployment");
        assertThat(hotfix.expires()).isEqualTo(LocalDate.of(2027, 1, 15));
        assertThat(hotfix.end()).isEqualTo(Instant.parse("2027-01-16T00:00:00Z"));
        assertThat(hotfix.origin()).isEqualTo(FILE + ":13");
        assertThat(hotfix.paths().get(1).segments()).containsExactly(new ExceptionSpec.PathPattern.Field("spec"),
                new ExceptionSpec.PathPattern.Field("template"), new ExceptionSpec.PathPattern.Field("spec"),
                new ExceptionSpec.PathPattern.Field("containers"), new ExceptionSpec.PathPattern.Key(Map.of("name", "web")),
                new ExceptionSpec.PathPattern.Field("image"));
        assertThat(hotfix.paths().get(2).pointer()).isTrue();
    }

    @Test
    void refusesWhatAnAuditorWouldAskForEachWithFileLineAndTheKey() {
        List<String> problems = problems("""
                exceptionPolicy: {maxDays: 30}
                exceptions:
                  - name: no-approver
                    kind: Deployment
                    name: frontend
                    paths: [spec.replicas]
                    reason: incident
                    ticket: CHG-1
                    expires: 2026-12-20
                  - name: too-far
                    kind: Deployment
                    name: frontend
                    paths: [spec.replicas]
                    reason: incident
                    approvedBy: lead@example.com
                    ticket: CHG-2
                    expires: 2027-01-03
                  - name: too-far
                    kind: Deployment
                    name: frontend
                    paths: ["spec.containers[name=web", "/spec/~2x", ".spec"]
                    reason: incident
                    approvedBy: lead@example.com
                    expires: soon
                """);

        assertThat(problems).containsExactly(
                FILE + ":14: exception 'no-approver': missing required key 'approvedBy'",
                FILE + ":28: exception 'too-far': expires 2027-01-03 is more than 30 days ahead (at most 2027-01-02; exceptionPolicy.maxDays sets the limit)",
                FILE + ":32: exception 'too-far': paths: 'spec.containers[name=web': '[' at 16 is not closed",
                FILE + ":32: exception 'too-far': paths: '/spec/~2x': '~' must be followed by 0 or 1 in a JSON pointer",
                FILE + ":32: exception 'too-far': paths: '.spec' must not start with '.'",
                FILE + ":29: exception 'too-far': missing required key 'ticket'",
                FILE + ":35: exception 'too-far': expires must be a date such as 2027-01-15, not 'soon'",
                FILE + ":29: duplicate exception name 'too-far' (first declared at line 21)");
    }

    @Test
    void refusesAnExceptionWithoutExpiryOrObjectOrPaths() {
        List<String> problems = problems("""
                exceptions:
                  - name: forever
                    kind: Deployment
                    reason: incident
                    approvedBy: lead@example.com
                    ticket: CHG-1
                """);

        assertThat(problems).containsExactly(
                FILE + ":13: exception 'forever': missing the object's name: a second 'name' key after kind (a glob: frontend, web-*, "
                        + "or * for every object of the kind), or 'objectName'",
                FILE + ":13: exception 'forever': paths must list at least one path, as the drift output writes it (spec.replicas) "
                        + "or as a JSON pointer (/spec/replicas)",
                FILE + ":13: exception 'forever': missing required key 'expires'");
    }

    @Test
    void acceptsAnExpiredExceptionSoRunsCanReportIt() {
        DriftwardenConfig config = parse("""
                exceptions:
                  - name: old
                    kind: Deployment
                    objectName: frontend
                    paths: [spec.replicas]
                    reason: incident
                    approvedBy: lead@example.com
                    ticket: CHG-1
                    expires: 2026-11-01
                """);

        ExceptionSpec old = config.exceptions().exceptions().get(0);
        assertThat(old.activeAt(TODAY.instant())).isFalse();
        assertThat(old.activeAt(Instant.parse("2026-11-01T23:59:59Z"))).isTrue();
        assertThat(old.activeAt(Instant.parse("2026-11-02T00:00:00Z"))).isFalse();
    }

    @Test
    void globsMatchWholeNamesAndTreatDotsLiterally() {
        assertThat(Glob.of("web-*").matches("web-prod")).isTrue();
        assertThat(Glob.of("web").matches("web-prod")).isFalse();
        assertThat(Glob.of("web.prod").matches("webXprod")).isFalse();
        assertThat(Glob.of("w?b").matches("web")).isTrue();
        assertThat(Glob.of("w?b").matches("weeb")).isFalse();
        assertThat(Glob.of("[a-z]*").matches("web")).isFalse();
        assertThat(Glob.of("*").matches(null)).isTrue();
    }
}
