package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conventions people type (issue 20, item 5): {@code version}, {@code completion}, {@code help CMD}, unknown
 * commands, {@code -o} for {@code --format}, JSON from {@code validate} and {@code audit verify}, and {@code render}.
 */
class ConventionsStoryIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("shop");

    @Test
    void versionNamesTheBuildTheJavaAndTheToolsFound() throws Exception {
        InProcess.Outcome text = InProcess.cli("version");
        InProcess.Outcome json = InProcess.cli("version", "-o", "json");

        assertThat(text.exit()).isZero();
        assertThat(text.out()).startsWith("driftwarden ").contains("commit:", "built:", "java:      " + System.getProperty("java.version"),
                "kubectl:", "kustomize:");
        JsonNode facts = JSON.readTree(json.out());
        assertThat(facts.propertyNames()).containsExactly("version", "commit", "built", "java", "kubectl", "kustomize");
        assertThat(facts.get("commit").asString()).matches("[0-9a-f]{40}( \\(uncommitted changes\\))?|unknown"); // from git.properties
        assertThat(InProcess.cli("--version").out()).startsWith("driftwarden ").contains("commit: ");
    }

    @Test
    void completionPrintsPicocliScriptForBashAndZsh() {
        InProcess.Outcome bash = InProcess.cli("completion", "bash");
        InProcess.Outcome zsh = InProcess.cli("completion", "zsh");

        assertThat(bash.exit()).isZero();
        assertThat(bash.out()).contains("complete -F _complete_driftwarden", "render", "validate", "--format");
        assertThat(zsh.out()).contains("bashcompinit", "complete -F _complete_driftwarden");
        assertThat(InProcess.cli("completion", "fish").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpNamesACommandsUsageAndAnUnknownCommandIsAUsageError() {
        InProcess.Outcome help = InProcess.cli("help", "render");
        InProcess.Outcome unknown = InProcess.cli("rnder");
        InProcess.Outcome unknownSub = InProcess.cli("audit", "nope");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: driftwarden render").contains("--binding=NAME", "-o, --format=FORMAT");
        assertThat(InProcess.cli("help", "nope").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("error: unknown command 'rnder' for 'driftwarden'", "render",
                "Run 'driftwarden --help' for the commands.").doesNotContain("Usage:");
        assertThat(unknownSub.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownSub.err()).contains("unknown command 'nope' for 'driftwarden audit'");
    }

    @Test
    void dashOIsFormatWhereverFormatIsAndOutputStaysTheFile() throws Exception {
        Path config = config("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {colour: blue}\n");

        InProcess.Outcome plan = InProcess.cli("plan", "--config", config.toString(), "-o", "json");
        InProcess.Outcome history = InProcess.cli("history", "--config", config.toString(), "-o", "json");
        InProcess.Outcome report = InProcess.cli("report", "--config", config.toString(), "-o", "csv", "--output", tmp.resolve("r.csv").toString());

        assertThat(plan.exit()).as(plan.all()).isEqualTo(ExitCodes.DRIFT);
        assertThat(JSON.readTree(plan.out()).isObject()).isTrue();
        assertThat(history.exit()).as(history.all()).isZero();
        assertThat(JSON.readTree(history.out()).isContainer()).isTrue();
        assertThat(report.exit()).as(report.all()).isZero();
        assertThat(Files.readString(tmp.resolve("r.csv"))).contains("ConfigMap/shop/settings");
        assertThat(InProcess.cli("report", "--help").out()).contains("-o, --format=FORMAT", "--output=FILE");
    }

    @Test
    void validateAndAuditVerifyPrintJson() throws Exception {
        Path config = config("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {colour: blue}\n");
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "sources: []\nclusters: []\nbindings: []\ncolour: blue\n");

        InProcess.Outcome valid = InProcess.cli("validate", "--config", config.toString(), "-o", "json");
        InProcess.Outcome invalid = InProcess.cli("validate", "--config", broken.toString(), "--format", "json");
        InProcess.Outcome verify = InProcess.cli("audit", "verify", "--config", config.toString(), "-o", "json");

        assertThat(valid.exit()).as(valid.all()).isZero();
        JsonNode validJson = JSON.readTree(valid.out());
        assertThat(validJson.get("valid").asBoolean()).isTrue();
        assertThat(validJson.at("/bindings/0/name").asString()).isEqualTo("shop");
        assertThat(validJson.at("/bindings/0/objects").asInt()).isEqualTo(1);
        assertThat(invalid.exit()).isEqualTo(ExitCodes.USAGE);
        JsonNode invalidJson = JSON.readTree(invalid.out());
        assertThat(invalidJson.get("valid").asBoolean()).isFalse();
        assertThat(invalidJson.at("/problems/0").asString()).contains("broken.yaml:4", "colour");
        assertThat(verify.exit()).as(verify.all()).isZero();
        JsonNode verifyJson = JSON.readTree(verify.out());
        assertThat(verifyJson.get("ok").asBoolean()).isTrue();
        assertThat(verifyJson.at("/chain/intact").asBoolean()).isTrue();
    }

    @Test
    void renderPrintsWhatARunWouldApplyWithOriginsAndContactsNoCluster() throws Exception {
        Path config = config("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {colour: blue}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: token}
                stringData: {token: hunter2}
                """);
        stage.sandbox().clearRequests();

        InProcess.Outcome yaml = InProcess.cli("render", "--config", config.toString(), "--binding", "shop");
        InProcess.Outcome json = InProcess.cli("render", "--config", config.toString(), "--binding", "shop", "-o", "json");
        InProcess.Outcome unknown = InProcess.cli("render", "--config", config.toString(), "--binding", "nope");

        assertThat(yaml.exit()).as(yaml.all()).isZero();
        assertThat(yaml.out()).contains("# origin: app/objects.yaml:1\napiVersion: v1\nkind: ConfigMap", "namespace: shop",
                "driftwarden.io/binding: shop", "# origin: app/objects.yaml:6", "token: '***'").doesNotContain("hunter2");
        JsonNode rendered = JSON.readTree(json.out());
        assertThat(rendered.at("/objects/0/origin").asString()).isEqualTo("app/objects.yaml:1");
        assertThat(rendered.at("/objects/0/object/metadata/namespace").asString()).isEqualTo("shop");
        assertThat(rendered.at("/objects/0/object/metadata/labels/driftwarden.io~1binding").asString()).isEqualTo("shop");
        assertThat(json.out()).doesNotContain("hunter2");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no binding named nope");
        assertThat(stage.sandbox().requests()).isEmpty();
    }

    /** A repository with {@code app/objects.yaml} and a config with one audit-mode binding {@code shop} on the sandbox. */
    private Path config(String objects) throws Exception {
        CliE2E.repo(tmp.resolve("repo"), "app/objects.yaml", objects);
        return Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings:
                  - {name: shop, source: repo, path: app, cluster: sandbox, namespace: shop}
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));
    }
}
