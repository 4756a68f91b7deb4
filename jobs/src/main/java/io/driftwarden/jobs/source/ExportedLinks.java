package io.driftwarden.jobs.source;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Which symbolic links a tree written out for kustomize or Helm may keep. Git stores a link as text, but the renderers
 * follow it with the real filesystem (Helm's loader walks the chart with {@code sympath.Walk}, which resolves every
 * link with {@code EvalSymlinks} and reads what it finds), so a link is judged by where the filesystem takes it, never
 * by its text: {@code x/b -> .} and {@code files/tok -> ../../x/b/b/../../../etc/passwd} normalise inside the tree and
 * resolve outside it. Only a link whose real target is a regular file inside the tree is kept.
 */
final class ExportedLinks {

    /** What becomes of one link. */
    enum Verdict {
        /** Its real target is a regular file inside the tree. */
        KEPT("is kept"),
        /** Its real target is outside the tree (through {@code ..}, an absolute path, {@code /proc}, or other links). */
        LEAVES_TREE("leaves the exported tree"),
        /** It names nothing. */
        DANGLING("names nothing at this commit (a dangling link)"),
        /** It never ends: links that name each other. */
        LOOP("cannot be resolved (a loop of links)"),
        /**
         * It names a folder. Refused even inside the tree: Helm's {@code sympath.Walk} and kustomize follow folder links
         * and walk them again, so {@code x/b -> .} is a walk without end, and a link to an ancestor multiplies the tree.
         */
        FOLDER("names a folder (only links to files are exported)"),
        /** It names something that is neither a file nor a folder. */
        NOT_A_FILE("names something that is not a file");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        /** The refusal's text after {@code file: symbolic link to 'target' }. */
        String reason() {
            return reason;
        }
    }

    private ExportedLinks() {
    }

    /**
     * Where the filesystem takes {@code link} (a symbolic link written inside {@code realRoot}; both are real paths up
     * to the link's folder), as a verdict: first by its text, then by the real filesystem. Call it once every file and
     * link of the tree is written: a link to a file written later would otherwise dangle.
     */
    static Verdict judge(Path realRoot, Path link) throws IOException {
        Path text = Files.readSymbolicLink(link);
        if (text.isAbsolute() || !link.getParent().resolve(text).normalize().startsWith(realRoot)) {
            return Verdict.LEAVES_TREE; // by its text already, whatever the filesystem holds there
        }
        Path target;
        try {
            target = link.toRealPath();
        } catch (NoSuchFileException e) {
            return Verdict.DANGLING;
        } catch (FileSystemException e) {
            return Verdict.LOOP; // ELOOP: too many levels of symbolic links
        }
        if (!target.startsWith(realRoot)) {
            return Verdict.LEAVES_TREE;
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return Verdict.FOLDER;
        }
        return Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) ? Verdict.KEPT : Verdict.NOT_A_FILE;
    }
}
