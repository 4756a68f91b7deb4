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

    /**
     * A symbolic link at {@code path} whose text is {@code target}, as {@code ln -s} makes it; {@link #commit} stores it
     * as Git does (mode 120000, the text as the blob), whatever it names.
     */
    public GitRepo link(String path, String target) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.createSymbolicLink(file, Path.of(target));
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

    /**
     * Commits everything as a commit signed by {@code sign} (given the bytes {@code git commit -S} signs, it returns
     * an armored OpenPGP signature) and returns the full SHA.
     */
    public String commitSigned(String message, java.util.function.UnaryOperator<byte[]> sign) throws Exception {
        String unsigned = commit(message);
        org.eclipse.jgit.lib.Repository repository = git.getRepository();
        try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repository);
             org.eclipse.jgit.lib.ObjectInserter inserter = repository.newObjectInserter()) {
            RevCommit commit = walk.parseCommit(org.eclipse.jgit.lib.ObjectId.fromString(unsigned));
            org.eclipse.jgit.lib.CommitBuilder builder = new org.eclipse.jgit.lib.CommitBuilder();
            builder.setTreeId(commit.getTree());
            builder.setParentIds(commit.getParents());
            builder.setAuthor(commit.getAuthorIdent());
            builder.setCommitter(commit.getCommitterIdent());
            builder.setMessage(commit.getFullMessage());
            builder.setGpgSignature(new org.eclipse.jgit.lib.GpgSignature(sign.apply(builder.build())));
            org.eclipse.jgit.lib.ObjectId signed = inserter.insert(builder);
            inserter.flush();
            org.eclipse.jgit.lib.RefUpdate update = repository.updateRef("refs/heads/main");
            update.setNewObjectId(signed);
            update.forceUpdate();
            return signed.getName();
        }
    }

    /** Moves main back to {@code sha} and forgets what came after: history rewritten, as a force-push does. */
    public GitRepo resetHard(String sha) throws GitAPIException {
        git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(sha).call();
        return this;
    }

    @Override
    public void close() {
        git.close();
    }
}
