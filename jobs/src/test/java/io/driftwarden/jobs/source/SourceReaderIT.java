package io.driftwarden.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwarden.config.InputLimits;
import io.driftwarden.config.SourceSpec;
import io.driftwarden.jobs.support.GitRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading manifests from real Git repositories over file:// through bare mirrors. */
class SourceReaderIT {

    @TempDir
    Path tmp;

    @Test
    void resolvesABranchATagAndAFullShaAndReadsTheTreeAtThatCommit() throws Exception {
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            String first = repo.write("app/cm.yaml", "v: 1\n").write("app/README.md", "not a manifest").commit("one");
            try (Git git = Git.open(tmp.resolve("repo").toFile())) {
                git.tag().setName("v1").setAnnotated(true).setMessage("v1").setSigned(false).call();
            }
            String second = repo.write("app/cm.yaml", "v: 2\n").write("other/x.json", "{}").commit("two");
            SourceReader reader = new SourceReader(tmp.resolve("cache"));

            SourceRevision main = reader.resolve(new SourceSpec("s", repo.url(), "main"));
            SourceRevision tag = reader.resolve(new SourceSpec("s", repo.url(), "v1"));
            SourceRevision sha = reader.resolve(new SourceSpec("s", repo.url(), first));

            assertThat(main.commit()).isEqualTo(second);
            assertThat(tag.commit()).isEqualTo(first);
            assertThat(sha.commit()).isEqualTo(first);
            assertThat(reader.manifests(main, "app")).containsExactly(java.util.Map.entry("app/cm.yaml", "v: 2\n"));
            assertThat(reader.manifests(tag, "app")).containsExactly(java.util.Map.entry("app/cm.yaml", "v: 1\n"));
            assertThat(reader.manifests(main, "")).containsOnlyKeys("app/cm.yaml", "other/x.json");
            try (Stream<Path> mirrors = Files.list(tmp.resolve("cache"))) {
                Path mirror = mirrors.findFirst().orElseThrow();
                assertThat(mirror.resolve("HEAD")).exists();
                assertThat(mirror.resolve("app")).doesNotExist(); // bare: no working tree
            }
        }
    }

    @Test
    void fetchesNewCommitsIntoTheExistingMirrorOnTheNextRun() throws Exception {
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            repo.write("app/cm.yaml", "v: 1\n").commit("one");
            SourceSpec source = new SourceSpec("s", repo.url(), "main");
            new SourceReader(tmp.resolve("cache")).resolve(source);
            String second = repo.write("app/cm.yaml", "v: 2\n").commit("two");

            assertThat(new SourceReader(tmp.resolve("cache")).resolve(source).commit()).isEqualTo(second);
        }
    }

    @Test
    void aFetchThatStartedAfterARunWasAskedForServesItAndOneFromBeforeAPushDoesNot() throws Exception {
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            String first = repo.write("app/cm.yaml", "v: 1\n").commit("one");
            SourceSpec source = new SourceSpec("s", repo.url(), "main");
            // a push starts two runs of the repository's bindings; the first run fetches
            Instant pushed = Instant.now();
            assertThat(new SourceReader(tmp.resolve("cache")).fetchedSince(pushed).resolve(source).commit()).isEqualTo(first);

            // a commit arrives at the remote; without a push yet, the second run of the first push is served by that
            // fetch (it started after the push it stands for): no fetch, so the new commit is not seen, as intended
            String second = repo.write("app/cm.yaml", "v: 2\n").commit("two");
            assertThat(new SourceReader(tmp.resolve("cache")).fetchedSince(pushed).resolve(source).commit()).isEqualTo(first);

            // the push of that commit: a run asked for now is not served by the fetch from before it, nor is a one-shot run
            Instant pushedAgain = Instant.now();
            assertThat(new SourceReader(tmp.resolve("cache")).fetchedSince(pushedAgain).resolve(source).commit()).isEqualTo(second);
            String third = repo.write("app/cm.yaml", "v: 3\n").commit("three");
            assertThat(new SourceReader(tmp.resolve("cache")).resolve(source).commit()).as("one-shot: always fetches").isEqualTo(third);
            // another source name (its own credentials) on the same mirror is never served by this one's fetch
            assertThat(new SourceReader(tmp.resolve("cache")).fetchedSince(pushed).resolve(new SourceSpec("other", repo.url(), "main")).commit())
                    .isEqualTo(third);
        }
    }

    @Test
    void readersOfSeveralRunsFetchIntoOneMirrorAtOnceAsTheDaemonsBindingsDo() throws Exception {
        // given no mirror yet and eight readers, one per run: the daemon runs each binding as a run of its own, and its
        // first push starts every binding of the repository at once (JGit refused the second writer: "Cannot lock …/config")
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            repo.write("app/cm.yaml", "v: 1\n").commit("one");
            SourceSpec source = new SourceSpec("s", repo.url(), "main");
            String second = repo.write("app/cm.yaml", "v: 2\n").commit("two");
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(8);
            java.util.concurrent.ExecutorService runs = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                // when they all fetch at once
                java.util.List<java.util.concurrent.Future<String>> commits = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    commits.add(runs.submit(() -> {
                        SourceReader reader = new SourceReader(tmp.resolve("cache"));
                        together.await();
                        return reader.resolve(source).commit();
                    }));
                }

                // then one clones the mirror, the others fetch into it in turn, and every run reads the commit
                for (java.util.concurrent.Future<String> commit : commits) {
                    assertThat(commit.get(2, java.util.concurrent.TimeUnit.MINUTES)).isEqualTo(second);
                }
            } finally {
                runs.shutdownNow();
            }
        }
    }

    @Test
    void namesWhatIsWrongWithARefOrAPath() throws Exception {
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            repo.write("app/cm.yaml", "v: 1\n").commit("one");
            SourceReader reader = new SourceReader(tmp.resolve("cache"));

            assertThatThrownBy(() -> reader.resolve(new SourceSpec("s", repo.url(), "release")))
                    .hasMessage("ref 'release' is not a branch, tag or full commit SHA of " + repo.url());
            SourceRevision main = reader.resolve(new SourceSpec("s", repo.url(), "main"));
            assertThatThrownBy(() -> reader.manifests(main, "apps"))
                    .hasMessage("path 'apps' does not exist in " + repo.url() + " at " + main.commit());
        }
    }

    @Test
    void refusesASymlinkRatherThanFollowingItOutOfTheRepository() throws Exception {
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            Files.writeString(tmp.resolve("outside.yaml"), "secret: outside the repository\n");
            repo.write("app/cm.yaml", "v: 1\n");
            Files.createSymbolicLink(tmp.resolve("repo/app/link.yaml"), tmp.resolve("outside.yaml"));
            repo.commit("a link out");
            SourceReader reader = new SourceReader(tmp.resolve("cache"));
            SourceRevision main = reader.resolve(new SourceSpec("s", repo.url(), "main"));

            assertThatThrownBy(() -> reader.manifests(main, "app"))
                    .hasMessage("app/link.yaml: symbolic links are not followed (they may point outside the repository)");
        }
    }

    @Test
    void refusesEvenAManifestLinkThatStaysInsideTheRepository() throws Exception {
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            repo.write("app/cm.yaml", "v: 1\n").link("app/alias.yaml", "cm.yaml").commit("an honest link");
            SourceReader reader = new SourceReader(tmp.resolve("cache"));
            SourceRevision main = reader.resolve(new SourceSpec("s", repo.url(), "main"));

            assertThatThrownBy(() -> reader.manifests(main, "app"))
                    .hasMessage("app/alias.yaml: symbolic links are not followed (they may point outside the repository)");
        }
    }

    @Test
    void anExportedTreeKeepsNoLinkWhoseRealTargetLeavesItAndNamesEachRefusedLink() throws Exception {
        String host = Files.writeString(tmp.resolve("host-token"), "host secret").toRealPath().toString().substring(1);
        String chain = "../../x" + "/b".repeat(10) + "/" + "../".repeat(11) + host;
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            repo.write("c/files/real.txt", "honest").link("c/files/alias.txt", "real.txt")
                    .link("x/b", ".").link("c/files/tok", chain).link("c/abs", "/etc/hostname").link("c/gone", "nothing.txt")
                    .link("c/loop", "loop").commit("links of every kind");
            SourceReader reader = new SourceReader(tmp.resolve("cache"));
            var source = reader.at(reader.resolve(new SourceSpec("s", repo.url(), "main")));

            assertThatThrownBy(() -> source.exportTo(tmp.resolve("whole"), ""))
                    .isInstanceOf(io.driftwarden.jobs.render.RenderException.class)
                    .hasMessage("c/abs: symbolic link to '/etc/hostname' leaves the exported tree; "
                            + "c/files/tok: symbolic link to '" + chain + "' leaves the exported tree; "
                            + "c/gone: symbolic link to 'nothing.txt' names nothing at this commit (a dangling link); "
                            + "c/loop: symbolic link to 'loop' cannot be resolved (a loop of links); "
                            + "x/b: symbolic link to '.' names a folder (only links to files are exported)");

            repo.delete("c/abs").delete("c/gone").delete("c/loop").delete("c/files/tok").commit("only the honest link and x/b left");
            SourceReader next = new SourceReader(tmp.resolve("cache"));
            var honest = next.at(next.resolve(new SourceSpec("s", repo.url(), "main")));
            honest.exportTo(tmp.resolve("chart"), "c");
            assertThat(tmp.resolve("chart/files/alias.txt")).isSymbolicLink().hasContent("honest");
            assertThat(tmp.resolve("chart/files/real.txt")).hasContent("honest");
            assertThat(Files.getPosixFilePermissions(tmp.resolve("chart/files/real.txt")))
                    .doesNotContain(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(tmp.resolve("chart/x")).doesNotExist(); // only the binding's folder is written
        }
    }

    @Test
    void refusesAFileOrABindingOverItsSizeLimitBeforeParsingIt() throws Exception {
        long limit = InputLimits.DEFAULTS.maxFileBytes();
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            repo.write("app/big.yaml", "# " + "x".repeat((int) limit) + "\n").commit("too big");
            SourceReader reader = new SourceReader(tmp.resolve("cache"));
            SourceRevision main = reader.resolve(new SourceSpec("s", repo.url(), "main"));

            assertThatThrownBy(() -> reader.manifests(main, "app"))
                    .hasMessage("app/big.yaml: " + (limit + 3) + " bytes, more than the limit of " + limit
                            + " bytes per manifest file (limits.maxFileSize; nothing was parsed)");

            // the limits are the config's: two files of 600 bytes pass a 1 KiB file limit, not a 1 KiB binding limit
            repo.delete("app/big.yaml").write("app/a.yaml", "# " + "a".repeat(597) + "\n").write("app/b.yaml", "# " + "b".repeat(597) + "\n")
                    .commit("two small files");
            SourceReader strict = new SourceReader(tmp.resolve("cache2"), new InputLimits(1024, 1024, 200, 50));
            SourceRevision small = strict.resolve(new SourceSpec("s", repo.url(), "main"));
            assertThatThrownBy(() -> strict.manifests(small, "app"))
                    .hasMessage("app: the manifests under it pass the limit of 1024 bytes per binding at app/b.yaml (limits.maxBindingSize; "
                            + "nothing was parsed)");
            assertThat(new SourceReader(tmp.resolve("cache2"), new InputLimits(1024, 2048, 200, 50)).manifests(small, "app")).hasSize(2);
        }
    }

    @Test
    void aBindingOverItsConfiguredLimitFailsBeforeParsingAndWritesNothing() throws Exception {
        try (io.driftwarden.jobs.support.World world = new io.driftwarden.jobs.support.World(tmp.resolve("world"));
             GitRepo repo = world.repo("repo")) {
            world.sandbox.createNamespaces("shop").clearRequests();
            repo.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: small}\n")
                .write("app/big.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {k: " + "x".repeat(2_000) + "}\n")
                .commit("one file over 1 KiB");
            var config = world.config("sources: [{name: repo, url: \"" + repo.url() + "\"}]\n"
                    + "bindings: [{name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce}]\n"
                    + "limits: {maxFileSize: 1Ki}\n");

            var result = world.reconcile(config, "shop");

            assertThat(result.error()).isEqualTo("binding shop: app/big.yaml: 2065 bytes, more than the limit of 1024 bytes per manifest "
                    + "file (limits.maxFileSize; nothing was parsed)");
            assertThat(world.writes()).isEmpty();
        }
    }

    @Test
    void refusesBytesThatAreNotUtf8AtTheirLineInsteadOfReplacingThem() throws Exception {
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            repo.write("app/cm.yaml", "v: 1\n").commit("one");
            Files.write(tmp.resolve("repo/app/latin1.yaml"),
                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cafe}\ndata: {k: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1));
            repo.commit("latin-1");
            SourceReader reader = new SourceReader(tmp.resolve("cache"));
            SourceRevision main = reader.resolve(new SourceSpec("s", repo.url(), "main"));

            assertThatThrownBy(() -> reader.manifests(main, "app"))
                    .hasMessage("app/latin1.yaml:4: not UTF-8 (byte 0xe9); manifests must be UTF-8");
        }
    }

    @Test
    void reportsAPathThatIsASymlinkAndASubmoduleInsteadOfSkippingThem() throws Exception {
        try (GitRepo sub = GitRepo.init(tmp.resolve("sub")); GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            sub.write("cm.yaml", "v: 1\n").commit("sub");
            repo.write("real/cm.yaml", "v: 1\n");
            Files.createSymbolicLink(tmp.resolve("repo/app"), Path.of("real"));
            repo.commit("a linked path");
            try (Git git = Git.open(tmp.resolve("repo").toFile())) {
                git.submoduleAdd().setPath("real/vendor").setURI(sub.url()).call().close();
                git.commit().setMessage("a submodule").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
                        .setSign(false).call();
            }
            SourceReader reader = new SourceReader(tmp.resolve("cache"));
            SourceRevision main = reader.resolve(new SourceSpec("s", repo.url(), "main"));

            assertThatThrownBy(() -> reader.manifests(main, "app"))
                    .hasMessage("path 'app' is a symbolic link; point the binding at the folder it names");
            assertThatThrownBy(() -> reader.manifests(main, "real"))
                    .hasMessageStartingWith("real/vendor: a submodule is not read");
        }
    }
}
