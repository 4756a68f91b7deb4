package io.driftwarden.jobs.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.yaml.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kustomization policy, one row per way a tenant's kustomization could make kustomize read outside the
 * repository (each with the line it is refused at), and the honest kustomizations that must still pass. The repository
 * is a list of paths; the last test follows a symbolic link on real files.
 */
class KustomizationCheckTest {

    private static final String FILE = "app/kustomization.yaml";
    private static final Set<String> FILES = Set.of("app/cm.yaml", "app/patch.yaml", "app/settings.env", "app/config.txt",
            "app/crd.yaml", "app/kustomizeconfig.yaml", "app/openapi.json", "app/replacement.yaml", "app/data/a.txt",
            "base/kustomization.yaml", "base/cm.yaml", "components/c/kustomization.yaml");
    private static final Set<String> FOLDERS = Set.of("", "app", "app/data", "base", "components", "components/c");
    private static final String VENDOR = "is refused: driftwarden renders only what the repository holds at the commit";

    /** The repository above, read as the exported tree is: {@code ..} past the root, or a path it does not hold, is nothing. */
    private static final KustomizationCheck.Tree TREE = path -> {
        String normal = KustomizationCheck.normalize(path);
        return normal == null ? KustomizationCheck.Kind.NONE
                : FILES.contains(normal) ? KustomizationCheck.Kind.FILE
                : FOLDERS.contains(normal) ? KustomizationCheck.Kind.FOLDER : KustomizationCheck.Kind.NONE;
    };

    static Stream<Arguments> threats() {
        return Stream.of(
                row("resources: a remote URL", "resources:\n- cm.yaml\n- https://evil.example/x.yaml\n",
                        "3: remote resource 'https://evil.example/x.yaml' " + VENDOR),
                row("resources: a GitHub repository without scheme", "resources:\n- github.com/org/repo//x?ref=v1\n",
                        "2: remote resource 'github.com/org/repo//x?ref=v1' is refused"),
                row("resources: GitHub, scp style", "resources: [github.com:org/repo]\n", "1: remote resource 'github.com:org/repo' is refused"),
                row("resources: git over ssh, scp style", "resources: [git@example.com:org/repo]\n", "1: remote resource 'git@example.com:org/repo' is refused"),
                row("resources: ssh URL", "resources: [ssh://git@example.com/org/repo]\n", "1: remote resource 'ssh://git@example.com/org/repo' is refused"),
                row("resources: forced git", "resources: [git::https://example.com/org/repo]\n", "1: remote resource 'git::https://example.com/org/repo' is refused"),
                row("resources: file URL", "resources: [file:///srv/other-tenant]\n", "1: remote resource 'file:///srv/other-tenant' is refused"),
                row("resources: a host that is no folder here", "resources:\n- evil.example.com/org/repo\n",
                        "2: 'evil.example.com/org/repo' in resources is not in the repository at the commit"),
                row("resources: a repository path separator", "resources: [base//x]\n", "1: remote resource 'base//x' is refused"),
                row("resources: climbing out", "resources:\n  - ../../etc\n", "2: '../../etc' in resources leaves the repository"),
                row("resources: absolute", "resources: [/etc/passwd]\n", "1: '/etc/passwd' in resources leaves the repository"),
                row("resources: not plain text", "resources: [!!binary aHR0cDovL2V2aWwv]\n", "1: resources must name a path as plain text"),
                row("resources: not a list", "resources: https://evil.example/x.yaml\n", "1: resources must be a list"),
                row("bases: remote", "bases: [https://evil.example/base]\n", "1: remote resource 'https://evil.example/base' is refused"),
                row("components: remote", "kind: Component\ncomponents:\n- https://evil.example/c\n", "3: remote resource 'https://evil.example/c' is refused"),
                row("crds: cloud metadata", "crds:\n- http://169.254.169.254/latest/meta-data\n",
                        "2: remote file 'http://169.254.169.254/latest/meta-data' in crds " + VENDOR),
                row("crds: a folder", "crds: [data]\n", "1: 'data' in crds is a folder; it must name a file"),
                row("configurations: remote", "configurations: [https://evil.example/c.yaml]\n",
                        "1: remote file 'https://evil.example/c.yaml' in configurations is refused"),
                row("configurations: missing", "configurations: [nothere.yaml]\n", "1: 'nothere.yaml' in configurations is not in the repository"),
                row("openapi.path: remote", "openapi:\n  path: http://10.0.0.1/schema.json\n",
                        "2: remote file 'http://10.0.0.1/schema.json' in openapi.path is refused"),
                row("openapi: an unknown key", "openapi:\n  path: openapi.json\n  url: http://x\n",
                        "3: openapi: unknown field 'url' is refused"),
                row("patches.path: remote", "patches:\n- path: http://127.0.0.1:8080/p\n",
                        "2: remote file 'http://127.0.0.1:8080/p' in patches[0].path is refused"),
                row("patches.path: missing", "patches:\n- path: patch.yaml\n- path: missing.yaml\n",
                        "3: 'missing.yaml' in patches[1].path is not in the repository at the commit"),
                row("patches.path: outside", "patches:\n- {path: ../../x.yaml}\n", "2: '../../x.yaml' in patches[0].path leaves the repository"),
                row("patches: an unknown key", "patches:\n- path: patch.yaml\n  url: http://x\n", "3: patches[0]: unknown field 'url' is refused"),
                row("patches: not a mapping", "patches:\n- http://x/p.yaml\n", "2: patches[0] must be a mapping"),
                row("patchesJson6902.path: remote", "patchesJson6902:\n- target: {kind: ConfigMap, name: x}\n  path: https://evil.example/p.json\n",
                        "3: remote file 'https://evil.example/p.json' in patchesJson6902[0].path is refused"),
                row("patchesStrategicMerge: a URL", "patchesStrategicMerge:\n- https://evil.example/p.yaml\n",
                        "2: remote file 'https://evil.example/p.yaml' in patchesStrategicMerge is refused"),
                row("patchesStrategicMerge: a URL that is also one-line YAML", "patchesStrategicMerge:\n- 'http://evil.example/p: y'\n",
                        "2: remote file 'http://evil.example/p: y' in patchesStrategicMerge is refused"),
                row("patchesStrategicMerge: missing", "patchesStrategicMerge: [gone.yaml]\n", "1: 'gone.yaml' in patchesStrategicMerge is not in the repository"),
                row("configMapGenerator.files: remote", "configMapGenerator:\n- name: g\n  files:\n  - http://127.0.0.1:1234/x\n",
                        "4: remote file 'http://127.0.0.1:1234/x' in configMapGenerator[0].files " + VENDOR),
                row("configMapGenerator.files: key=remote", "configMapGenerator:\n- name: g\n  files: [token=http://169.254.169.254/token]\n",
                        "3: remote file 'http://169.254.169.254/token' in configMapGenerator[0].files is refused"),
                row("configMapGenerator.files: key=outside", "configMapGenerator:\n- name: g\n  files: [k=../../secret]\n",
                        "3: '../../secret' in configMapGenerator[0].files leaves the repository"),
                row("configMapGenerator.files: two =", "configMapGenerator:\n- name: g\n  files: [a=b=c]\n",
                        "3: 'a=b=c' in configMapGenerator[0].files is not [key=]path"),
                row("configMapGenerator.envs: remote", "configMapGenerator:\n- name: g\n  envs: [https://evil.example/e.env]\n",
                        "3: remote file 'https://evil.example/e.env' in configMapGenerator[0].envs is refused"),
                row("configMapGenerator.env: remote", "configMapGenerator:\n- name: g\n  env: https://evil.example/e.env\n",
                        "3: remote file 'https://evil.example/e.env' in configMapGenerator[0].env is refused"),
                row("configMapGenerator: an unknown key", "configMapGenerator:\n- name: g\n  type: Opaque\n",
                        "3: configMapGenerator[0]: unknown field 'type' is refused"),
                row("secretGenerator.files: absolute", "secretGenerator:\n- name: s\n  files: [/etc/shadow]\n",
                        "3: '/etc/shadow' in secretGenerator[0].files leaves the repository"),
                row("secretGenerator: a field kustomize 5.5 does not have", "secretGenerator:\n- name: s\n  ageIdentities: [id.age]\n",
                        "3: secretGenerator[0]: unknown field 'ageIdentities' is refused"),
                row("replacements.path: remote", "replacements:\n- path: https://evil.example/r.yaml\n",
                        "2: remote file 'https://evil.example/r.yaml' in replacements[0].path is refused"),
                row("replacements: an unknown key", "replacements:\n- sourceValue: x\n", "2: replacements[0]: unknown field 'sourceValue' is refused"),
                row("helmCharts", "resources: [cm.yaml]\nhelmCharts:\n- {name: redis, repo: https://charts.example.com}\n",
                        "2: helmCharts are refused"),
                row("helmChartInflationGenerator", "helmChartInflationGenerator: [{chartName: x}]\n", "1: helmChartInflationGenerator is refused"),
                row("helmGlobals", "helmGlobals: {chartHome: /}\n", "1: helmGlobals are refused"),
                row("generators", "generators: [gen.yaml]\n", "1: plugins (generators) are refused"),
                row("transformers", "transformers: [t.yaml]\n", "1: plugins (transformers) are refused"),
                row("validators", "validators: [v.yaml]\n", "1: plugins (validators) are refused"),
                row("an unknown field", "namePrefix: x-\nremoteResources: [https://evil.example]\n",
                        "2: unknown field 'remoteResources' is refused: driftwarden allows only the kustomization fields it checks"),
                row("a field kustomize reads case-insensitively", "Resources: [https://evil.example/x.yaml]\n",
                        "1: unknown field 'Resources' is refused"),
                row("inventory, which kustomize 5.5 no longer has", "inventory: {type: ConfigMap}\n", "1: unknown field 'inventory' is refused"),
                row("a YAML merge key", "<<: {resources: [https://evil.example/x.yaml]}\n", "1: a key must be plain text"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threats")
    void refusesWithFileAndLine(String threat, String yaml, String expected) {
        // given a tenant's kustomization
        // when it is checked
        KustomizationCheck.Verdict verdict = check(yaml);

        // then it is refused once, at the offending node
        assertThat(verdict.problems()).singleElement().asString().startsWith(FILE + ":" + expected);
    }

    static Stream<Arguments> honest() {
        return Stream.of(
                row("local files, a local base and a component", """
                        apiVersion: kustomize.config.k8s.io/v1beta1
                        kind: Kustomization
                        resources: [cm.yaml, ../base, ./data/../cm.yaml]
                        components: [../components/c]
                        namePrefix: prod-
                        commonLabels: {env: prod}
                        labels: [{pairs: {team: a}}]
                        images: [{name: nginx, newTag: "1.27"}]
                        replicas: [{name: web, count: 2}]
                        sortOptions: {order: legacy}
                        buildMetadata: [originAnnotations]
                        generatorOptions: {disableNameSuffixHash: true}
                        """, ""),
                row("inline patches", """
                        patches:
                        - target: {kind: Deployment, name: web}
                          options: {allowNameChange: false}
                          patch: |-
                            - op: replace
                              path: /spec/replicas
                              value: 3
                        - path: patch.yaml
                        patchesStrategicMerge:
                        - |-
                          apiVersion: v1
                          kind: ConfigMap
                          metadata: {name: settings}
                          data: {color: blue}
                        - '{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}'
                        - patch.yaml
                        patchesJson6902:
                        - target: {kind: Deployment, name: web}
                          patch: '[{"op": "remove", "path": "/spec/replicas"}]'
                        """, ""),
                row("generators from literals and local files", """
                        configMapGenerator:
                        - name: settings
                          namespace: shop
                          behavior: create
                          literals: [color=blue, url=https://example.com]
                          files: [config.txt, renamed=config.txt, data]
                          envs: [settings.env]
                          env: settings.env
                          options: {disableNameSuffixHash: true}
                        secretGenerator:
                        - name: creds
                          type: Opaque
                          literals: [user=app]
                          files: [key=data/a.txt]
                        """, ""),
                row("crds, configurations, openapi and replacements from the repository", """
                        crds: [crd.yaml]
                        configurations: [kustomizeconfig.yaml]
                        openapi: {path: openapi.json}
                        replacements:
                        - path: replacement.yaml
                        - source: {kind: ConfigMap, name: settings, fieldPath: data.color}
                          targets: [{select: {kind: Deployment}, fieldPaths: [metadata.annotations.color]}]
                        """, ""),
                row("a Component", """
                        apiVersion: kustomize.config.k8s.io/v1alpha1
                        kind: Component
                        resources: [cm.yaml]
                        patches: [{path: patch.yaml}]
                        """, ""),
                row("empty fields", "resources:\npatches:\nopenapi:\n", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("honest")
    void passesHonestKustomizations(String what, String yaml, String ignored) {
        assertThat(check(yaml).problems()).isEmpty();
    }

    @Test
    void namesTheFoldersWhoseKustomizationsAreReadNext() {
        KustomizationCheck.Verdict verdict = check("resources: [cm.yaml, ../base]\ncomponents: [../components/c]\n");

        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.kustomizations()).containsExactly("app/../base", "app/../components/c");
    }

    @Test
    void followsLinksAsTheOperatingSystemDoesSoALinkToTheRootCannotClimbOut(@TempDir Path tmp) throws Exception {
        // given a tree whose x/up links to the tree's root (inside it), and a folder beside the tree
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.createDirectories(tree.resolve("x"));
        Files.createSymbolicLink(tree.resolve("x/up"), Path.of(".."));
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tree.resolve("cm.yaml"), "kind: ConfigMap\n");
        Path root = tree.toRealPath();

        // when x/up/.. (the tree by its text, the tree's parent on disk) and x/up/cm.yaml are checked
        KustomizationCheck.Verdict verdict = KustomizationCheck.check(
                YamlDocuments.composeOne("resources:\n- x/up/../outside\n- x/up/cm.yaml\n", "kustomization.yaml"),
                "kustomization.yaml", path -> KustomizeBuild.kind(root, path));

        // then the first is refused (it is not in the tree), the second, inside the tree, passes
        assertThat(verdict.problems()).containsExactly(
                "kustomization.yaml:2: 'x/up/../outside' in resources is not in the repository at the commit");
    }

    private static KustomizationCheck.Verdict check(String yaml) {
        return KustomizationCheck.check(YamlDocuments.composeOne(yaml, FILE), FILE, TREE);
    }

    private static Arguments row(String name, String yaml, String expected) {
        return Arguments.of(name, yaml, expected);
    }
}
