package io.driftwarden.jobs.source;

import io.driftwarden.config.SourceSpec;
import io.driftwarden.jobs.render.ManifestSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Reads manifests from Git through bare mirrors under a cache directory. One instance serves one run: each
 * (URL, ref) is fetched and resolved once, however many bindings read it.
 */
public final class SourceReader {

    private final Path cacheDir;
    private final Map<String, SourceRevision> resolved = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public SourceReader(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** Fetches the source's mirror (once per run) and resolves its ref to a commit. */
    public SourceRevision resolve(SourceSpec source) {
        return resolved.computeIfAbsent(source.url() + "\n" + source.ref(), k -> fetchAndResolve(source));
    }

    /**
     * The manifest files ({@code *.yaml}, {@code *.yml}, {@code *.json}) under {@code path} at the revision's
     * commit, by repository path, sorted.
     */
    public SortedMap<String, String> manifests(SourceRevision revision, String path) {
        try (Repository repository = open(revision.url()); RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(revision.commit()));
            SortedMap<String, String> files = new TreeMap<>();
            boolean found = path.isEmpty();
            try (TreeWalk tree = new TreeWalk(repository)) {
                tree.addTree(commit.getTree());
                tree.setRecursive(true);
                if (!path.isEmpty()) {
                    tree.setFilter(PathFilter.create(path));
                }
                while (tree.next()) {
                    found = true;
                    String file = tree.getPathString();
                    if (!isManifest(file)) {
                        continue;
                    }
                    if (tree.getFileMode(0) == FileMode.SYMLINK) {
                        throw new SourceException(file + ": symbolic links are not followed (they may point outside the repository)");
                    }
                    if (tree.getFileMode(0) == FileMode.GITLINK) {
                        continue;
                    }
                    byte[] bytes = repository.open(tree.getObjectId(0)).getBytes();
                    files.put(file, new String(bytes, StandardCharsets.UTF_8));
                }
            }
            if (!found) {
                throw new SourceException("path '" + path + "' does not exist in " + revision.url() + " at " + revision.commit());
            }
            return files;
        } catch (IOException e) {
            throw new SourceException("cannot read " + revision.url() + " at " + revision.commit() + ": " + e.getMessage(), e);
        }
    }

    /** The revision's commit as renderers read it. */
    public ManifestSource at(SourceRevision revision) {
        return new ManifestSource() {
            @Override
            public SortedMap<String, String> manifests(String path) {
                return SourceReader.this.manifests(revision, path);
            }

            @Override
            public Set<String> fileNames(String path) {
                Set<String> names = new TreeSet<>();
                walk(revision, path, (file, mode, id, repository) -> {
                    String relative = path.isEmpty() ? file : file.substring(path.length() + 1);
                    if (!relative.contains("/")) {
                        names.add(relative);
                    }
                });
                return names;
            }

            @Override
            public void exportTo(Path target) {
                export(revision, target);
            }
        };
    }

    private void export(SourceRevision revision, Path target) {
        List<Path> written = new ArrayList<>();
        walk(revision, "", (file, mode, id, repository) -> {
            Path destination = target.resolve(file);
            Files.createDirectories(destination.getParent());
            byte[] bytes = repository.open(id).getBytes();
            if (mode == FileMode.SYMLINK) {
                String link = new String(bytes, StandardCharsets.UTF_8);
                Path resolved = destination.getParent().resolve(link).normalize();
                if (Path.of(link).isAbsolute() || !resolved.startsWith(target)) {
                    throw new SourceException(file + ": symbolic link to '" + link + "' leaves the repository");
                }
                Files.createSymbolicLink(destination, Path.of(link));
            } else if (mode != FileMode.GITLINK) {
                Files.write(destination, bytes);
                written.add(destination);
            }
        });
        written.forEach(file -> file.toFile().setWritable(false, false));
    }

    /** What {@link #walk} calls for each file of the tree. */
    private interface FileVisitor {
        void visit(String file, FileMode mode, ObjectId id, Repository repository) throws IOException;
    }

    /** Visits every file under {@code path} (all of the tree when empty) at the revision's commit. */
    private void walk(SourceRevision revision, String path, FileVisitor visitor) {
        try (Repository repository = open(revision.url()); RevWalk walk = new RevWalk(repository);
             TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(walk.parseCommit(ObjectId.fromString(revision.commit())).getTree());
            tree.setRecursive(true);
            if (!path.isEmpty()) {
                tree.setFilter(PathFilter.create(path));
            }
            while (tree.next()) {
                visitor.visit(tree.getPathString(), tree.getFileMode(0), tree.getObjectId(0), repository);
            }
        } catch (IOException e) {
            throw new SourceException("cannot read " + revision.url() + " at " + revision.commit() + ": " + e.getMessage(), e);
        }
    }

    private SourceRevision fetchAndResolve(SourceSpec source) {
        synchronized (locks.computeIfAbsent(source.url(), k -> new Object())) {
            Path mirror = mirrorDir(source.url());
            try {
                if (Files.isDirectory(mirror.resolve("objects"))) {
                    try (Git git = Git.open(mirror.toFile())) {
                        git.fetch().setRemote(source.url()).setRefSpecs("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")
                                .setRemoveDeletedRefs(true).call();
                    }
                } else {
                    Files.createDirectories(mirror.getParent());
                    Git.cloneRepository().setURI(source.url()).setDirectory(mirror.toFile()).setBare(true)
                            .setMirror(true).call().close();
                }
            } catch (GitAPIException | IOException | RuntimeException e) {
                throw new SourceException("cannot fetch " + source.url() + ": " + rootMessage(e), e);
            }
            try (Repository repository = open(source.url())) {
                return new SourceRevision(source.url(), source.ref(), resolveRef(repository, source).name());
            } catch (IOException e) {
                throw new SourceException("cannot read " + source.url() + ": " + e.getMessage(), e);
            }
        }
    }

    private static ObjectId resolveRef(Repository repository, SourceSpec source) throws IOException {
        String ref = source.ref();
        for (String name : new String[] {Constants.R_HEADS + ref, Constants.R_TAGS + ref}) {
            Ref found = repository.exactRef(name);
            if (found != null) {
                try (RevWalk walk = new RevWalk(repository)) {
                    return walk.parseCommit(found.getObjectId()).getId();
                }
            }
        }
        if (ref.matches("[0-9a-f]{40}")) {
            try (RevWalk walk = new RevWalk(repository)) {
                return walk.parseCommit(ObjectId.fromString(ref)).getId();
            } catch (MissingObjectException e) {
                throw new SourceException("commit " + ref + " is not in " + source.url());
            }
        }
        throw new SourceException("ref '" + ref + "' is not a branch, tag or full commit SHA of " + source.url());
    }

    private Repository open(String url) throws IOException {
        return new FileRepositoryBuilder().setGitDir(mirrorDir(url).toFile()).setMustExist(true).build();
    }

    private Path mirrorDir(String url) {
        String readable = url.replaceAll("^[a-z]+://", "").replaceAll("[^A-Za-z0-9._-]+", "_");
        if (readable.length() > 60) {
            readable = readable.substring(readable.length() - 60);
        }
        return cacheDir.resolve(readable + "-" + shortHash(url) + ".git");
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isManifest(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
