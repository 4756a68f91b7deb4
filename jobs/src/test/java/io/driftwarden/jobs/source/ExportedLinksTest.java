package io.driftwarden.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.source.ExportedLinks.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which links an exported tree keeps, one row per tree: each row's tree is built for real in a temp folder (a value
 * starting with {@code -> } is a symbolic link, anything else a file's content), beside a file outside it, and the row's
 * link is judged by the real filesystem.
 */
class ExportedLinksTest {

    /** Enough {@code ..} to climb from a tree at most ten folders deep to the filesystem's root (links resolved on the way: at most 40). */
    private static final String UP = "../".repeat(11);

    @TempDir
    Path tmp;

    static Stream<Arguments> rows() {
        return Stream.of(
                row("an honest link to a file beside it", "files/tok", Verdict.KEPT,
                        "files/real.txt", "token", "files/tok", "-> real.txt"),
                row("an honest link to a file in another folder of the tree", "c/files/tok", Verdict.KEPT,
                        "x/real.txt", "token", "c/files/tok", "-> ../../x/real.txt"),
                row("a chain of links that ends at a file inside", "a", Verdict.KEPT,
                        "f.txt", "data", "a", "-> b", "b", "-> f.txt"),
                row("the reported chain: x/b -> . and a path that normalises inside but resolves outside", "c/files/tok",
                        Verdict.LEAVES_TREE,
                        "x/keep.txt", "", "x/b", "-> .", "c/files/tok", "-> ../../x" + "/b".repeat(10) + "/" + UP + "OUTSIDE"),
                row("the folder link of that chain, on its own", "x/b", Verdict.FOLDER,
                        "x/keep.txt", "", "x/b", "-> ."),
                row("'..' out of the tree", "files/tok", Verdict.LEAVES_TREE,
                        "files/tok", "-> ../../outside.txt"),
                row("'..' through a link to a folder inside the tree", "a/tok", Verdict.LEAVES_TREE,
                        "deep/er/f.txt", "", "a/d", "-> ../deep/er", "a/tok", "-> d/../../../outside.txt"),
                row("an absolute link", "tok", Verdict.LEAVES_TREE,
                        "tok", "-> OUTSIDE"),
                row("a link to the process's root through /proc", "tok", Verdict.LEAVES_TREE,
                        "tok", "-> /proc/self/root/etc/hostname"),
                row("a link to the process's environment", "tok", Verdict.LEAVES_TREE,
                        "tok", "-> /proc/self/environ"),
                row("a link to a file that does not exist", "tok", Verdict.DANGLING,
                        "tok", "-> nothing.txt"),
                row("a link into a folder that does not exist", "tok", Verdict.DANGLING,
                        "tok", "-> no/such/file"),
                row("a link to itself", "tok", Verdict.LOOP,
                        "tok", "-> tok"),
                row("two links naming each other", "a", Verdict.LOOP,
                        "a", "-> b", "b", "-> a"),
                row("a link to the tree's root", "all", Verdict.FOLDER,
                        "f.txt", "", "all", "-> ."),
                row("a link to a sub-chart's folder inside the tree", "charts/sub", Verdict.FOLDER,
                        "vendor/sub/Chart.yaml", "name: sub", "charts/sub", "-> ../vendor/sub"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void judgesALinkByWhereTheFilesystemTakesIt(String name, String link, Verdict expected, Map<String, String> tree) throws Exception {
        // given
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "host file");
        Path root = Files.createDirectories(tmp.resolve("tree")).toRealPath();
        for (Map.Entry<String, String> entry : tree.entrySet()) {
            Path file = root.resolve(entry.getKey());
            Files.createDirectories(file.getParent());
            String value = entry.getValue();
            if (value.startsWith("-> ")) {
                String target = value.substring(3).replace("OUTSIDE", value.startsWith("-> OUTSIDE") ? outside.toString()
                        : outside.toString().substring(1));
                Files.createSymbolicLink(file, Path.of(target));
            } else {
                Files.writeString(file, value);
            }
        }

        // when
        Verdict verdict = ExportedLinks.judge(root, root.resolve(link));

        // then
        assertThat(verdict).isEqualTo(expected);
    }

    private static Arguments row(String name, String link, Verdict expected, String... tree) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < tree.length; i += 2) {
            entries.put(tree[i], tree[i + 1]);
        }
        return Arguments.of(name, link, expected, entries);
    }
}
