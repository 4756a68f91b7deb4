package io.driftwarden.jobs.source;

import io.driftwarden.config.InputLimits;
import io.driftwarden.config.SourceSpec;
import io.driftwarden.jobs.concurrent.OncePerKey;
import io.driftwarden.jobs.diff.SecretMasker;
import io.driftwarden.jobs.render.ManifestFile;
import io.driftwarden.jobs.render.ManifestSource;
import io.driftwarden.jobs.render.ParsedCache;
import io.driftwarden.jobs.render.RenderException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;
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
 * (URL, ref) is fetched and resolved once, however many bindings read it (a fetch that fails fails them all).
 */
public final class SourceReader {

    private final Path cacheDir;
    private final InputLimits limits;
    private final ParsedCache parsedCache;
    private final OncePerKey<String, SourceRevision> resolved = new OncePerKey<>();
    private final AtomicInteger filesRead = new AtomicInteger();
    /**
     * One lock per mirror folder for the whole process, not per instance: the daemon runs each binding as a run of its
     * own (each with its reader), and a push starts every binding of the repository at once — their fetches into the
     * one mirror must take turns (JGit refuses a second writer of its {@code config}: "Cannot lock …/config").
     */
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();
    /** When each (mirror, source name, credentials) was last fetched successfully, in this process: the fetch's start. */
    private static final Map<List<Object>, Instant> FETCHED = new ConcurrentHashMap<>();
    /** Runs asked for at this time or later may be served by an earlier run's fetch that started after it; null: never. */
    private Instant fetchedSince;

    public SourceReader(Path cacheDir) {
        this(cacheDir, InputLimits.DEFAULTS);
    }

    /** A reader that refuses manifest files and bindings larger than {@code limits} allow, before parsing them. */
    public SourceReader(Path cacheDir, InputLimits limits) {
        this.cacheDir = cacheDir;
        this.limits = limits;
        this.parsedCache = ParsedCache.in(cacheDir.resolve("parsed"), limits);
    }

    /** The folder the mirrors are kept in; other caches (parsed files, remote charts) sit beside them in it. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** Parsed manifest files by blob id, kept beside the mirrors (folder {@code parsed}). */
    public ParsedCache parsedCache() {
        return parsedCache;
    }

    /** Manifest files whose content this instance read from Git so far (not those the parsed cache served by blob id). */
    public int filesRead() {
        return filesRead.get();
    }

    /**
     * Starts fetching {@code sources} on threads of their own, so that their commits are resolved by the time the
     * run's first bindings ask; the run calls this while its job starts.
     */
    /**
     * Lets this reader's sources be served, without fetching again, by a fetch of the same source (mirror, name and
     * credentials) in this process that <em>started</em> at or after {@code requestedAt}: such a fetch saw everything
     * pushed before the run was asked for. The daemon runs each binding as a run of its own, so one push of a
     * repository that 50 bindings read was 50 fetches of one mirror, one after another; now the first serves the rest.
     * A push that arrives while a run waits moves the waiting run's request time (the daemon), so a merged push is
     * never served by a fetch from before it. Null (a one-shot run): every source is fetched.
     */
    public SourceReader fetchedSince(Instant requestedAt) {
        this.fetchedSince = requestedAt;
        return this;
    }

    /** The rule of {@link #fetchedSince}: a fetch serves a run only when it started at or after the run was asked for. */
    static boolean servedBy(Instant fetchStarted, Instant requestedAt) {
        return fetchStarted != null && requestedAt != null && !fetchStarted.isBefore(requestedAt);
    }

    public SourceReader prefetch(Collection<SourceSpec> sources) {
        sources.forEach(source -> resolved.ahead(source.url() + "\n" + source.ref(), "fetch-" + source.name(), () -> fetchAndResolve(source)));
        return this;
    }

    /** Fetches the source's mirror (once per run) and resolves its ref to a commit. */
    public SourceRevision resolve(SourceSpec source) {
        return resolved.get(source.url() + "\n" + source.ref(), () -> fetchAndResolve(source));
    }

    /**
     * The manifest files ({@code *.yaml}, {@code *.yml}, {@code *.json}) under {@code path} at the revision's
     * commit, by repository path, sorted.
     */
    public SortedMap<String, String> manifests(SourceRevision revision, String path) {
        SortedMap<String, String> files = new TreeMap<>();
        manifestFiles(revision, path).forEach((file, manifest) -> files.put(file, manifest.content().get()));
        return files;
    }

    /**
     * The manifest files under {@code path} at the revision's commit, by repository path, sorted, each with the blob id
     * its tree entry names. A file whose parsed documents the {@link #parsedCache} holds under that id is not read now
     * (nor hashed: the tree names it), only if the entry turns out unreadable; the others are read, and checked to be
     * UTF-8, here. The limits hold either way: they are checked on the blobs' sizes.
     */
    public SortedMap<String, ManifestFile> manifestFiles(SourceRevision revision, String path) {
        try (Repository repository = open(revision.url()); RevWalk walk = new RevWalk(repository);
             ObjectReader reader = repository.newObjectReader()) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(revision.commit()));
            SortedMap<String, ManifestFile> files = new TreeMap<>();
            boolean found = path.isEmpty();
            long total = 0;
            try (TreeWalk tree = new TreeWalk(repository)) {
                tree.addTree(commit.getTree());
                tree.setRecursive(true);
                if (!path.isEmpty()) {
                    tree.setFilter(PathFilter.create(path));
                }
                while (tree.next()) {
                    found = true;
                    String file = tree.getPathString();
                    FileMode mode = tree.getFileMode(0);
                    if (file.equals(path) && mode == FileMode.SYMLINK) {
                        throw new SourceException("path '" + path + "' is a symbolic link; point the binding at the folder it names");
                    }
                    if (mode == FileMode.GITLINK) {
                        throw new SourceException(file + ": a submodule is not read (driftwarden reads one repository): vendor its "
                                + "manifests into this one, or give it a source and binding of its own");
                    }
                    if (!isManifest(file)) {
                        continue;
                    }
                    if (mode == FileMode.SYMLINK) {
                        throw new SourceException(file + ": symbolic links are not followed (they may point outside the repository)");
                    }
                    ObjectId id = tree.getObjectId(0);
                    long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
                    if (size > limits.maxFileBytes()) {
                        throw new SourceException(file + ": " + size + " bytes, more than the limit of " + limits.maxFileBytes()
                                + " bytes per manifest file (limits.maxFileSize; nothing was parsed)");
                    }
                    total += size;
                    if (total > limits.maxBindingBytes()) {
                        throw new SourceException(path + ": the manifests under it pass the limit of " + limits.maxBindingBytes()
                                + " bytes per binding at " + file + " (limits.maxBindingSize; nothing was parsed)");
                    }
                    String blobId = id.name();
                    if (parsedCache.holds(blobId)) {
                        // parsed before, so read before as UTF-8: read again only if the entry cannot be read
                        files.put(file, new ManifestFile(blobId, () -> blob(revision, file, id)));
                    } else {
                        String content = utf8(file, reader.open(id, Constants.OBJ_BLOB).getBytes());
                        filesRead.incrementAndGet();
                        files.put(file, new ManifestFile(blobId, () -> content));
                    }
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

    /** One blob's text, from the repository opened again: for a file whose cached documents could not be read. */
    private String blob(SourceRevision revision, String file, ObjectId id) {
        try (Repository repository = open(revision.url())) {
            filesRead.incrementAndGet();
            return utf8(file, repository.open(id, Constants.OBJ_BLOB).getBytes());
        } catch (IOException e) {
            throw new SourceException("cannot read " + revision.url() + " at " + revision.commit() + ": " + e.getMessage(), e);
        }
    }

    /** The file as text; bytes that are not UTF-8 (a Latin-1 {@code é}) are refused at their line, never replaced. */
    private static String utf8(String file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new SourceException(file + ":" + line + ": not UTF-8 (byte 0x" + String.format("%02x", bytes[in.position()] & 0xff)
                    + "); manifests must be UTF-8");
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    /**
     * The signer of the revision's commit, when it carries a valid OpenPGP signature by a key of {@code keyring};
     * otherwise a {@link CommitRefusedException} saying why.
     */
    public String verifySignature(SourceRevision revision, Path keyring) {
        try (Repository repository = open(revision.url()); RevWalk walk = new RevWalk(repository)) {
            return Signatures.verify(walk.parseCommit(ObjectId.fromString(revision.commit())), keyring);
        } catch (IOException e) {
            throw new SourceException("cannot read " + revision.url() + " at " + revision.commit() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the revision's commit is {@code ancestor} or descends from it; false when {@code ancestor} is no longer
     * in the repository (history rewritten and collected).
     */
    public boolean descendsFrom(SourceRevision revision, String ancestor) {
        try (Repository repository = open(revision.url()); RevWalk walk = new RevWalk(repository)) {
            RevCommit current = walk.parseCommit(ObjectId.fromString(revision.commit()));
            RevCommit earlier;
            try {
                earlier = walk.parseCommit(ObjectId.fromString(ancestor));
            } catch (MissingObjectException gone) {
                return false;
            }
            return walk.isMergedInto(earlier, current);
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
            public SortedMap<String, ManifestFile> manifestFiles(String path) {
                return SourceReader.this.manifestFiles(revision, path);
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
            public void exportTo(Path target, String path) {
                export(revision, path, target);
            }
        };
    }

    /**
     * Writes the files under {@code path} into {@code target}: regular files first, then the symbolic links, then
     * every link is resolved by the real filesystem ({@link ExportedLinks}) — a link that does not end at a file
     * inside {@code target} fails the export, naming each such link, before any renderer can follow it. No link is
     * ever written through: a link's parent folders hold no link.
     */
    private void export(SourceRevision revision, String path, Path target) {
        SortedMap<String, String> links = new TreeMap<>();
        List<Path> written = new ArrayList<>();
        Path root;
        try {
            Files.createDirectories(target);
            root = target.toRealPath();
        } catch (IOException e) {
            throw new SourceException("cannot prepare " + target + ": " + e.getMessage(), e);
        }
        walk(revision, path, (file, mode, id, repository) -> {
            if (file.equals(path)) {
                throw new SourceException("path '" + path + "' is " + (mode == FileMode.SYMLINK ? "a symbolic link" : "a file")
                        + "; point the binding at a folder");
            }
            if (mode == FileMode.GITLINK) {
                return;
            }
            Path destination = inside(root, file, path.isEmpty() ? file : file.substring(path.length() + 1));
            byte[] bytes = repository.open(id).getBytes();
            if (mode == FileMode.SYMLINK) {
                links.put(file, new String(bytes, StandardCharsets.UTF_8));
                return;
            }
            Files.createDirectories(destination.getParent());
            Files.write(destination, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            written.add(destination);
        });
        List<String> problems = new ArrayList<>();
        Map<String, Path> made = new TreeMap<>();
        for (Map.Entry<String, String> link : links.entrySet()) {
            String file = link.getKey();
            String relative = path.isEmpty() ? file : file.substring(path.length() + 1);
            String under = links.keySet().stream().filter(other -> file.startsWith(other + "/")).findFirst().orElse(null);
            if (under != null) {
                problems.add(file + ": symbolic link to '" + link.getValue() + "' lies under the symbolic link " + under);
                continue;
            }
            try {
                Path destination = inside(root, file, relative);
                Files.createDirectories(destination.getParent());
                Files.createSymbolicLink(destination, Path.of(link.getValue()));
                made.put(file, destination);
            } catch (IOException | java.nio.file.InvalidPathException e) {
                problems.add(file + ": symbolic link to '" + link.getValue() + "' cannot be written: " + e.getMessage());
            }
        }
        for (Map.Entry<String, Path> link : made.entrySet()) {
            try {
                ExportedLinks.Verdict verdict = ExportedLinks.judge(root, link.getValue());
                if (verdict != ExportedLinks.Verdict.KEPT) {
                    problems.add(link.getKey() + ": symbolic link to '" + links.get(link.getKey()) + "' " + verdict.reason()
                            + (verdict == ExportedLinks.Verdict.LEAVES_TREE && !path.isEmpty() ? " (" + path + "/)" : ""));
                }
            } catch (IOException e) {
                problems.add(link.getKey() + ": symbolic link to '" + links.get(link.getKey()) + "' cannot be resolved: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new RenderException(problems);
        }
        written.forEach(file -> file.toFile().setWritable(false, false));
    }

    /** Where the repository's {@code file} goes under {@code root}; a name that would climb out of it is refused. */
    private static Path inside(Path root, String file, String relative) {
        for (String name : relative.split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw new SourceException(file + ": not a plain path inside the repository ('" + name + "')");
            }
        }
        Path destination = root.resolve(relative).normalize();
        if (!destination.startsWith(root) || destination.equals(root)) {
            throw new SourceException(file + ": not a plain path inside the repository");
        }
        return destination;
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
        Path mirror = mirrorDir(source.url());
        String mirrorKey = mirror.toAbsolutePath().normalize().toString();
        synchronized (LOCKS.computeIfAbsent(mirrorKey, k -> new Object())) {
            List<Object> fetchKey = Arrays.asList(mirrorKey, source.name(), source.auth());
            if (!Files.isDirectory(mirror.resolve("objects")) || !servedBy(FETCHED.get(fetchKey), fetchedSince)) {
                Instant started = Instant.now();
                fetch(source, mirror);
                FETCHED.put(fetchKey, started);
            }
            try (Repository repository = open(source.url())) {
                return new SourceRevision(source.url(), source.ref(), resolveRef(repository, source).name());
            } catch (IOException e) {
                throw new SourceException("cannot read " + source.url() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Fetches every branch and tag of the source into its bare mirror, cloning it first when there is none. */
    private static void fetch(SourceSpec source, Path mirror) {
        try (GitTransport transport = GitTransport.of(source, Path.of(mirror + ".transport"))) {
            if (Files.isDirectory(mirror.resolve("objects"))) {
                try (Git git = Git.open(mirror.toFile())) {
                    transport.apply(git.fetch()).setRemote(source.url())
                            .setRefSpecs("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*").setRemoveDeletedRefs(true).call();
                }
            } else {
                Files.createDirectories(mirror.getParent());
                transport.apply(Git.cloneRepository()).setURI(source.url()).setDirectory(mirror.toFile()).setBare(true)
                        .setMirror(true).call().close();
            }
        } catch (GitAPIException | IOException | RuntimeException e) {
            String message = SecretMasker.scrub("cannot fetch " + source.url() + ": " + GitTransport.explain(source, e),
                    GitTransport.secretValues(source));
            throw new SourceException(message, e);
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
}
