package io.driftwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final Path FILE = Path.of("/etc/driftwarden/driftwarden.yaml");

    private static final String VALID = """
            sources:
              - name: platform
                url: file:///srv/git/platform.git
            clusters:
              - name: prod
                kubeconfig: kube/prod.yaml
            bindings:
              - name: shop
                source: platform
                path: ./apps/shop/
                cluster: prod
                namespace: shop
                ignore:
                  - { kind: Deployment, jsonPointers: [/spec/replicas] }
            """;

    @Test
    void appliesTheDocumentedDefaults() {
        DriftwardenConfig config = ConfigLoader.parse(VALID, FILE);

        assertThat(config.audit()).isEqualTo(AuditSettings.defaults());
        assertThat(config.audit().url()).isEqualTo("jdbc:h2:file:./.driftwarden/audit;AUTO_SERVER=TRUE");
        assertThat(config.source("platform").ref()).isEqualTo("main");
        assertThat(config.cluster("prod").kubeconfig()).isEqualTo(Path.of("/etc/driftwarden/kube/prod.yaml"));
        assertThat(config.cluster("prod").context()).isNull();
        assertThat(config.cluster("prod").requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(config.cluster("prod").listByLabel()).isFalse();
        BindingSpec shop = config.binding("shop");
        assertThat(shop.mode()).isEqualTo(Mode.AUDIT);
        assertThat(shop.path()).isEqualTo("apps/shop");
        assertThat(shop.createNamespace()).isFalse();
        assertThat(shop.ignore()).containsExactly(new IgnoreRule(null, "Deployment", null, null, java.util.List.of("/spec/replicas")));
        assertThat(shop.origin()).isEqualTo(FILE + ":8");
    }

    @Test
    void reportsEveryProblemAtOnceWithFileAndLine() {
        String text = """
                sources:
                  - name: platform
                    url: file:///srv/git/platform.git
                    branch: main
                clusters:
                  - name: prod
                bindings:
                  - name: shop
                    source: platfrom
                    cluster: staging
                    namespace: shop
                    mode: fix
                  - name: shop
                    source: platform
                    cluster: prod
                    namespace: shop
                    schedule: "every night"
                """;

        // the scheduler supplies the cron rules (cron/ gives Quartz's); here, one that knows no expression
        CronCheck noCron = expression -> "not a cron expression";
        assertThatThrownBy(() -> ConfigLoader.parse(text, FILE, noCron))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        FILE + ":4: unknown key 'branch' in source (known: auth, forcePush, name, ref, timeout, url, verify)",
                        FILE + ":9: binding 'shop': no source named 'platfrom'",
                        FILE + ":10: binding 'shop': no cluster named 'staging'",
                        FILE + ":12: mode must be enforce or audit, not 'fix'",
                        FILE + ":17: binding 'shop': invalid cron expression 'every night': not a cron expression",
                        FILE + ":13: duplicate binding name 'shop' (first declared at line 8)"));
    }

    @Test
    void refusesMissingRequiredKeysAndPathsThatLeaveTheRepository() {
        String text = """
                sources:
                  - name: platform
                clusters: []
                bindings:
                  - name: shop
                    source: platform
                    path: ../other
                    cluster: prod
                """;

        assertThatThrownBy(() -> ConfigLoader.parse(text, FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        FILE + ":2: source: missing required key 'url'",
                        FILE + ":5: binding: missing required key 'namespace'",
                        FILE + ":7: path '../other' must stay inside the repository (no leading /, no ..)",
                        FILE + ":8: binding 'shop': no cluster named 'prod'"));
    }

    @Test
    void readsSchedulesWithTimeZonesTheirDefaultAndSyncWindows() {
        String text = VALID.replace("    ignore:\n", "    timeZone: Europe/Berlin\n    ignore:\n") + """
                  - name: blog
                    source: platform
                    cluster: prod
                    namespace: blog
                    schedule: "0 */5 * * * ?"
                defaults: {schedule: "0 0 2 * * ?", timeZone: America/New_York}
                windows:
                  - {kind: deny, schedule: "0 0 22 ? * MON-FRI", duration: 8h, timeZone: Europe/Berlin, bindings: ["shop*"]}
                  - {kind: allow, schedule: "0 0 * * * ?", duration: 30m, clusters: [prod]}
                """;

        DriftwardenConfig config = ConfigLoader.parse(text, FILE);

        assertThat(config.binding("shop").schedule()).isEqualTo(new Schedule("0 0 2 * * ?", java.time.ZoneId.of("Europe/Berlin"), FILE + ":21"));
        assertThat(config.binding("blog").schedule()).isEqualTo(new Schedule("0 */5 * * * ?", java.time.ZoneId.of("America/New_York"), FILE + ":20"));
        assertThat(config.windows()).hasSize(2);
        SyncWindow deny = config.windows().get(0);
        assertThat(deny.kind()).isEqualTo(SyncWindow.Kind.DENY);
        assertThat(deny.duration()).isEqualTo(java.time.Duration.ofHours(8));
        assertThat(deny.appliesTo(config.binding("shop"))).isTrue();
        assertThat(deny.appliesTo(config.binding("blog"))).isFalse();
        assertThat(config.windows().get(1).appliesTo(config.binding("blog"))).isTrue();
        assertThat(deny.describe()).isEqualTo("deny window '0 0 22 ? * MON-FRI' for 8h (Europe/Berlin, " + FILE + ":23)");

        String bad = VALID.replace("    ignore:\n", "    timeZone: Mars/Olympus\n    ignore:\n") + """
                windows:
                  - {kind: maybe, schedule: "0 0 22 ? * *", duration: 8h, clusters: [nowhere]}
                  - {kind: deny, schedule: "0 0 22 ? * *"}
                """;
        assertThatThrownBy(() -> ConfigLoader.parse(bad, FILE)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .containsExactly(
                        FILE + ":13: binding: unknown timeZone 'Mars/Olympus' (a region such as Europe/Berlin, or UTC)",
                        FILE + ":17: window: kind must be allow or deny, not 'maybe'",
                        FILE + ":17: window: no cluster named 'nowhere'",
                        FILE + ":18: window: missing required key 'duration'",
                        FILE + ":18: window: name the bindings (glob patterns, e.g. ['*']) or clusters it applies to"));
    }

    @Test
    void readsInputLimitsAsKubernetesWritesSizes() {
        assertThat(ConfigLoader.parse(VALID, FILE).limits()).isEqualTo(InputLimits.DEFAULTS);
        String limits = VALID + "limits: {maxFileSize: 512Ki, maxBindingSize: 1Gi, yamlMaxDepth: 300, yamlMaxAliases: 10}\n";
        assertThat(ConfigLoader.parse(limits, FILE).limits()).isEqualTo(new InputLimits(512L << 10, 1L << 30, 300, 10));
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "limits: {maxFileSize: 4MB, yamlMaxDepth: 0}\n", FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        FILE + ":15: limits: 'maxFileSize' must be a size such as 4Mi, 512Ki or 1048576, not '4MB'",
                        FILE + ":15: limits: 'yamlMaxDepth' must be a whole number of at least 1, not '0'"));
    }

    @Test
    void readsARequestTimeoutAsGoAndKubectlWriteDurations() {
        String timeout = "    kubeconfig: kube/prod.yaml\n    requestTimeout: %s\n";
        assertThat(ConfigLoader.parse(VALID.replace("    kubeconfig: kube/prod.yaml\n", timeout.formatted("1m30s")), FILE)
                .cluster("prod").requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(ConfigLoader.parse(VALID.replace("    kubeconfig: kube/prod.yaml\n", timeout.formatted("500ms")), FILE)
                .cluster("prod").requestTimeout()).isEqualTo(java.time.Duration.ofMillis(500));
        for (String bad : new String[] {"30", "0s", "ten seconds", "5s 2m"}) {
            assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("    kubeconfig: kube/prod.yaml\n", timeout.formatted("'" + bad + "'")), FILE))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(FILE
                            + ":7: cluster: 'requestTimeout' must be a duration such as 500ms, 30s or 1m30s, not '" + bad + "'"));
        }
    }

    @Test
    void readsHealthWaitAndScopeWithTheirDefaults() {
        assertThat(ConfigLoader.parse(VALID, FILE).binding("shop").health()).isEqualTo(new HealthSettings(null, HealthSettings.Scope.WRITTEN));
        String waiting = VALID.replace("    namespace: shop\n", "    namespace: shop\n    health: {wait: 2m, scope: all}\n");
        assertThat(ConfigLoader.parse(waiting, FILE).binding("shop").health())
                .isEqualTo(new HealthSettings(java.time.Duration.ofMinutes(2), HealthSettings.Scope.ALL));
        assertThat(ConfigLoader.parse(waiting, FILE).binding("shop").withHealthWait(java.time.Duration.ofSeconds(5)).health().timeout())
                .isEqualTo(java.time.Duration.ofSeconds(5));
    }

    @Test
    void refusesABadHealthWaitScopeOrKeyWithFileAndLine() {
        String text = VALID.replace("    namespace: shop\n", """
                    namespace: shop
                    health:
                      wait: forever
                      scope: everything
                """);

        assertThatThrownBy(() -> ConfigLoader.parse(text, FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        FILE + ":15: binding 'shop': health.scope must be 'written' or 'all', not 'everything'",
                        FILE + ":14: health: 'wait' must be a duration such as 500ms, 30s or 1m30s, not 'forever'"));
        assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("    namespace: shop\n", "    namespace: shop\n    health: {timeout: 2m}\n"), FILE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timeout");
    }

    @Test
    void checksMaxPrune() {
        String text = VALID.replace("    namespace: shop\n", "    namespace: shop\n    prune: true\n    maxPrune: 0\n");

        assertThatThrownBy(() -> ConfigLoader.parse(text, FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        FILE + ":14: binding 'shop': maxPrune must be a whole number of at least 1, not '0'"));
    }

    @Test
    void readsGitCredentialsByReferenceOnlyAndRefusesCombinationsThatCannotWork() {
        String https = VALID.replace("    url: file:///srv/git/platform.git\n", """
                    url: https://git.example.com/platform.git
                    auth: { username: robot, tokenFrom: env:GIT_TOKEN, caFile: certs/ca.pem }
                    timeout: 20s
                    verify: { keyring: keys/trusted.asc }
                    forcePush: refuse
                """);
        SourceSpec source = ConfigLoader.parse(https, FILE).source("platform");
        assertThat(source.auth()).isEqualTo(new GitAuth("robot", null, new SecretRef("env", "GIT_TOKEN"),
                Path.of("/etc/driftwarden/certs/ca.pem"), null, null));
        assertThat(source.auth().toString()).doesNotContain("GIT_TOKEN=");
        assertThat(source.timeout()).isEqualTo(java.time.Duration.ofSeconds(20));
        assertThat(source.keyring()).isEqualTo(Path.of("/etc/driftwarden/keys/trusted.asc"));
        assertThat(source.refuseForcePush()).isTrue();

        String ssh = VALID.replace("    url: file:///srv/git/platform.git\n", """
                    url: ssh://git@git.example.com/platform.git
                    auth: { sshKeyFrom: file:keys/id_ecdsa, knownHosts: keys/known_hosts }
                """);
        assertThat(ConfigLoader.parse(ssh, FILE).source("platform").auth()).isEqualTo(new GitAuth(null, null, null, null,
                Path.of("/etc/driftwarden/keys/id_ecdsa"), Path.of("/etc/driftwarden/keys/known_hosts")));

        String bad = """
                sources:
                  - name: a
                    url: git@git.example.com:platform.git
                    auth: { sshKeyFrom: env:KEY }
                  - name: b
                    url: https://git.example.com/b.git
                    auth: { tokenFrom: "s3cr3t", passwordFrom: env:P }
                  - name: d
                    url: https://robot:hunter2@git.example.com/d.git
                  - name: c
                    url: file:///srv/c
                    auth: { tokenFrom: env:T }
                    forcePush: allow
                clusters: []
                bindings: []
                """;
        assertThatThrownBy(() -> ConfigLoader.parse(bad, FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        FILE + ":4: source 'a': auth.sshKeyFrom must be file:PATH (an SSH key is read from a file)",
                        FILE + ":3: source 'a': an SSH source needs auth.knownHosts (a known_hosts file with the server's key): an unknown "
                                + "host key is refused",
                        FILE + ":7: source 'b': auth.tokenFrom: expected env:NAME or file:PATH, got 's3cr3t'",
                        FILE + ":7: source 'b': auth.passwordFrom needs a username",
                        FILE + ":9: source 'd': a password in the URL is refused (it would show in logs and the audit trail): use "
                                + "auth.tokenFrom or auth.passwordFrom",
                        FILE + ":12: source 'c': auth.tokenFrom, passwordFrom and caFile are for https:// URLs, not 'file:///srv/c'",
                        FILE + ":13: source 'c': forcePush must be record or refuse, not 'allow'"));
    }

    @Test
    void refusesBindingNamesThatAreNotLabelValues() {
        String text = VALID.replace("  - name: shop\n", "  - name: shop/prod\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse(text, FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
                        .startsWith(FILE + ":8: binding 'shop/prod': a binding name becomes the value of the label driftwarden.io/binding"));
        assertThat(ConfigLoader.parse(VALID.replace("  - name: shop\n", "  - name: shop.prod_2-a\n"), FILE).bindings()).hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse(
                VALID.replace("  - name: shop\n", "  - name: " + "a".repeat(64) + "\n"), FILE)).isInstanceOf(ConfigException.class);
    }

    @Test
    void readsPruneHelmAndTheKustomizeCommand() {
        String text = VALID.replace("    namespace: shop\n", """
                    namespace: shop
                    prune: true
                    maxPrune: 3
                    helm:
                      releaseName: store
                      valuesFiles: [values-prod.yaml]
                      values: {replicas: 2, image: {tag: "1.27"}}
                """) + "kustomize:\n  command: [kustomize, build, --enable-helm]\n";

        DriftwardenConfig config = ConfigLoader.parse(text, FILE);

        BindingSpec shop = config.binding("shop");
        assertThat(shop.prune()).isTrue();
        assertThat(shop.maxPrune()).isEqualTo(3);
        assertThat(shop.helm().releaseName()).isEqualTo("store");
        assertThat(shop.helm().valuesFiles()).containsExactly("values-prod.yaml");
        assertThat(shop.helm().values().toString()).isEqualTo("{\"replicas\":2,\"image\":{\"tag\":\"1.27\"}}");
        assertThat(config.kustomizeCommand()).containsExactly("kustomize", "build", "--enable-helm");
    }

    @Test
    void reportsYamlThatDoesNotParseWithItsLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("sources:\n  - name: [unclosed\nclusters: []\n", FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith(FILE + ":3: "));
    }

    @Test
    void keepsSecretsByReferenceOnly() {
        DriftwardenConfig config = ConfigLoader.parse("""
                audit:
                  url: jdbc:postgresql://db/audit
                  username: driftwarden
                  passwordFrom: env:AUDIT_DB_PASSWORD
                sources: []
                clusters: []
                bindings: []
                """, FILE);

        assertThat(config.audit().password()).isEqualTo(new SecretRef("env", "AUDIT_DB_PASSWORD"));
        assertThat(config.audit().toString()).doesNotContain("password=null").contains("env:AUDIT_DB_PASSWORD");
    }

    @Test
    void readsCheckpointSettingsRelativeToTheConfigWithTheKeyByReference() {
        DriftwardenConfig config = ConfigLoader.parse("""
                audit:
                  checkpoints:
                    file: audit/checkpoints.jsonl
                    signingKeyFrom: file:keys/checkpoint.pem
                sources: []
                clusters: []
                bindings: []
                """, FILE);

        CheckpointSettings checkpoints = config.audit().checkpoints();
        assertThat(checkpoints.file()).isEqualTo(Path.of("/etc/driftwarden/audit/checkpoints.jsonl"));
        assertThat(checkpoints.signingKey()).isEqualTo(new SecretRef("file", "/etc/driftwarden/keys/checkpoint.pem"));
        assertThat(checkpoints.signingKey().origin()).isEqualTo(FILE + ":4");
    }

    @Test
    void refusesCheckpointsWithoutAKeyReferenceOrWithAnInlineKeyOrUnknownKeys() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                audit:
                  checkpoints:
                    file: checkpoints.jsonl
                    signingKeyFrom: "-----BEGIN PRIVATE KEY-----"
                    git: { source: platform }
                sources: []
                clusters: []
                bindings: []
                """, FILE)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                FILE + ":5: unknown key 'git' in checkpoints (known: file, signingKeyFrom)",
                FILE + ":4: audit.checkpoints.signingKeyFrom: expected env:NAME or file:PATH, got '-----BEGIN PRIVATE KEY-----'"));
        assertThatThrownBy(() -> ConfigLoader.parse("""
                audit:
                  checkpoints:
                    file: checkpoints.jsonl
                sources: []
                clusters: []
                bindings: []
                """, FILE)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                FILE + ":3: audit.checkpoints: missing required key 'signingKeyFrom' (env:NAME or file:PATH of an Ed25519 private key, PEM)"));
    }

    @Test
    void readsTheControlsABindingEvidencesAndMapsEachControlToItsBindings() {
        DriftwardenConfig config = ConfigLoader.parse(VALID + """
                    controls: [SOC2-CC8.1, "ISO27001-A.8.32", SOC2-CC8.1]
                  - name: web
                    source: platform
                    cluster: prod
                    namespace: web
                    controls:
                      - SOC2-CC8.1
                evidence:
                  signingKeyFrom: file:keys/evidence.pem
                """, FILE);

        assertThat(config.binding("shop").controls()).containsExactly("SOC2-CC8.1", "ISO27001-A.8.32");
        assertThat(config.controls()).containsExactly(java.util.Map.entry("ISO27001-A.8.32", java.util.List.of("shop")),
                java.util.Map.entry("SOC2-CC8.1", java.util.List.of("shop", "web")));
        assertThat(config.evidence().signingKey()).isEqualTo(new SecretRef("file", "/etc/driftwarden/keys/evidence.pem"));
        assertThat(config.evidence().origin()).isEqualTo(FILE + ":23");
        assertThat(ConfigLoader.parse(VALID, FILE).evidence()).isEqualTo(EvidenceSettings.NONE);
        assertThat(ConfigLoader.parse(VALID, FILE).binding("shop").controls()).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            an empty id                 | controls: [SOC2-CC8.1, '']             | 15: binding 'shop': controls: a control id must not be empty
            a blank id                  | controls: ['  ']                       | 15: binding 'shop': controls: a control id must not be empty
            a null entry                | controls: [SOC2-CC8.1, null]           | 15: binding 'shop': controls: each entry must be a control id (text such as SOC2-CC8.1)
            a mapping entry             | controls: [{id: SOC2}]                 | 15: binding 'shop': controls: each entry must be a control id (text such as SOC2-CC8.1)
            a single text, not a list   | controls: SOC2-CC8.1                   | 15: binding 'shop': controls must be a list of control ids, e.g. [SOC2-CC8.1, ISO27001-A.8.32]
            an id with a line break     | controls: ["SOC2\\nFORGED"]             | 15: binding 'shop': controls: a control id is one line of at most 100 characters
            an id of 101 characters     | controls: [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx] | 15: binding 'shop': controls: a control id is one line of at most 100 characters
            """)
    void refusesControlsThatAreNotNonEmptyIds(String threat, String yaml, String problem) {
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "    " + yaml + "\n", FILE)).as(threat)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(FILE + ":" + problem));
    }

    @Test
    void refusesEvidenceWithoutAKeyReferenceOrWithAnInlineKey() {
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "evidence: {}\n", FILE)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly(FILE + ":15: evidence: missing required key 'signingKeyFrom' (env:NAME or "
                        + "file:PATH of an Ed25519 private key, PEM PKCS#8)"));
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "evidence:\n  signingKeyFrom: MC4CAQAwBQYDK2VwBCIEI\n  sign: true\n", FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        FILE + ":17: unknown key 'sign' in evidence (known: signingKeyFrom)",
                        FILE + ":16: evidence.signingKeyFrom: expected env:NAME or file:PATH, got 'MC4CAQAwBQYDK2VwBCIEI'"));
    }
}
