package io.driftwarden.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.PgpKey;
import io.driftwarden.jobs.support.World;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which commits a source trusts, through the whole pipeline against the sandbox: a commit must carry a valid OpenPGP
 * signature from the configured keyring (real Ed25519 keys, signatures over the bytes git signs), and a branch that
 * was force-pushed is recorded — or refused when the source says so. Each refusal leaves the cluster untouched and
 * one REFUSED row with the commit and the reason. What this cannot prove: GnuPG's own keyring formats (keybox),
 * SSH or X.509 commit signatures (not supported).
 */
class CommitTrustIT {

    @TempDir
    Path tmp;

    private World world;
    private PgpKey trusted;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("shop").clearRequests();
        trusted = new PgpKey("Release Bot <release@example.com>");
        PgpKey.writeKeyring(tmp.resolve("trusted.asc"), trusted);
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void aCommitSignedByAKeyOfTheKeyringIsEnforced() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("app/cm.yaml", Manifests.configMap("settings", "k", "v"));
            repo.commitSigned("signed", trusted::sign);

            BindingResult result = world.reconcile(config(repo, "    verify: {keyring: trusted.asc}\n"), "shop");

            assertThat(result.error()).isNull();
            assertThat(result.changes()).extracting(c -> c.action() + " " + c.key().subject()).containsExactly("CREATED ConfigMap/shop/settings");
        }
    }

    @Test
    void anUnsignedCommitAnUnknownSignerAndATamperedSignatureAreEachRefusedAndNothingIsWritten() throws Exception {
        PgpKey stranger = new PgpKey("Someone Else <else@example.com>");
        try (GitRepo repo = world.repo("repo")) {
            DriftwardenConfig config = config(repo, "    verify: {keyring: trusted.asc}\n");
            repo.write("app/cm.yaml", Manifests.configMap("settings", "k", "v"));
            String unsigned = repo.commit("unsigned");
            assertRefused(config, unsigned, "commit " + unsigned + " is not signed, and source requires a signature from a key in "
                    + tmp.resolve("trusted.asc"));

            repo.write("app/cm.yaml", Manifests.configMap("settings", "k", "v2"));
            String byStranger = repo.commitSigned("signed by a key nobody trusts", stranger::sign);
            assertRefused(config, byStranger, "commit " + byStranger + " is signed by key " + stranger.keyId() + ", which is not in "
                    + tmp.resolve("trusted.asc"));

            // a trusted signature, but over other bytes (the commit was changed after signing)
            repo.write("app/cm.yaml", Manifests.configMap("settings", "k", "v3"));
            String tampered = repo.commitSigned("tampered", data -> trusted.sign("tree 0000\n".getBytes()));
            assertRefused(config, tampered, "commit " + tampered + ": the signature by key " + trusted.keyId()
                    + " does not match the commit (it was changed after signing)");

            // the trusted key, revoked since
            trusted.writeRevokedKeyring(tmp.resolve("revoked.asc"));
            repo.write("app/cm.yaml", Manifests.configMap("settings", "k", "v4"));
            String byRevoked = repo.commitSigned("signed by a key revoked since", trusted::sign);
            assertRefused(config(repo, "    verify: {keyring: revoked.asc}\n"), byRevoked, "commit " + byRevoked + " is signed by key "
                    + trusted.keyId() + ", which is revoked");

            assertThat(world.writes()).isEmpty();
        }
    }

    @Test
    void aForcePushIsRecordedAndTheRunGoesOnOrIsRefusedWhenTheSourceSaysSo() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            String base = repo.write("app/cm.yaml", Manifests.configMap("settings", "k", "v")).commit("base");
            String enforced = repo.write("app/cm.yaml", Manifests.configMap("settings", "k", "v2")).commit("enforced");
            DriftwardenConfig recording = config(repo, "");
            assertThat(world.reconcile(recording, "shop").error()).isNull();

            // main is rewritten: back to base, then a commit that does not descend from the one enforced
            repo.resetHard(base);
            String rewritten = repo.write("app/cm.yaml", Manifests.configMap("settings", "k", "v3")).commit("rewritten");

            DriftwardenConfig refusing = config(repo, "    forcePush: refuse\n");
            world.sandbox.clearRequests();
            assertRefused(refusing, rewritten, "commit " + rewritten + " does not descend from " + enforced + ", the last commit binding "
                    + "shop enforced: main was force-pushed (refused: forcePush: refuse)");
            assertThat(world.writes()).isEmpty();

            BindingResult recorded = world.reconcile(recording, "shop");
            assertThat(recorded.error()).isNull();
            assertThat(recorded.changes()).extracting(c -> c.action() + " " + c.key().subject()).containsExactly("CONFIGURED ConfigMap/shop/settings");
            List<AuditRecord> rows = rowsOf(world.lastRunId());
            assertThat(rows.get(0).entry().event()).isEqualTo(EventType.FORCE_PUSH);
            assertThat(rows.get(0).entry().commit()).isEqualTo(rewritten);
            assertThat(rows.get(0).entry().error()).isEqualTo("commit " + rewritten + " does not descend from " + enforced
                    + ", the last commit binding shop enforced: main was force-pushed");

            // the rewritten commit is now the one enforced: the next run sees no force-push
            repo.write("app/cm.yaml", Manifests.configMap("settings", "k", "v4")).commit("after");
            assertThat(world.reconcile(refusing, "shop").error()).isNull();
        }
    }

    private void assertRefused(DriftwardenConfig config, String commit, String reason) {
        BindingResult result = world.reconcile(config, "shop");
        assertThat(result.error()).isEqualTo("binding shop: " + reason);
        assertThat(result.changes()).isEmpty();
        assertThat(rowsOf(world.lastRunId())).singleElement().satisfies(row -> {
            assertThat(row.entry().event()).isEqualTo(EventType.REFUSED);
            assertThat(row.entry().action()).isEqualTo(Action.REFUSED.name());
            assertThat(row.entry().commit()).isEqualTo(commit);
            assertThat(row.entry().error()).isEqualTo(reason);
        });
    }

    private List<AuditRecord> rowsOf(String runId) {
        return world.audit.records(ReportFilter.all()).stream().filter(r -> r.entry().runId().equals(runId)).toList();
    }

    private DriftwardenConfig config(GitRepo repo, String sourceKeys) {
        return world.config("sources:\n  - name: repo\n    url: " + repo.url() + "\n" + sourceKeys + "bindings:\n"
                + World.binding("shop", "app"));
    }
}
