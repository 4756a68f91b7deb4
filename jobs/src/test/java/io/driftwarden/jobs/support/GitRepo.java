package io.driftwarden.jobs.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real Git repository in a temp dir, served to driftwarden over {@code file://}. */
public final class GitRepo implements AutoCloseable {

    private final Path dir;
    private final Git git;

    private GitRepo(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    public static GitRepo init(Path dir) throws GitAPIException {
        return new GitRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
    }

    public String url() {
        return dir.toUri().toString();
    }

    public GitRepo write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    public GitRepo delete(String path) throws IOException {
        Files.delete(dir.resolve(path));
        return this;
    }

    /** Commits everything and returns the full SHA. */
    public String commit(String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        RevCommit commit = git.commit().setMessage(message).setAuthor("test", "test@example.com")
                .setCommitter("test", "test@example.com").setSign(false).call();
        return commit.getName();
    }

    @Override
    public void close() {
        git.close();
    }
}
