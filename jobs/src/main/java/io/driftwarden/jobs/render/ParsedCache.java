package io.driftwarden.jobs.render;

import io.driftwarden.config.InputLimits;
import io.driftwarden.config.yaml.YamlDocument;
import io.driftwarden.config.yaml.YamlDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NumericNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parsed manifest files on disk, by Git blob id: a file whose content a run already parsed is read back from JSON
 * instead of being parsed again, so a run at an unchanged commit parses no YAML — across runs and processes (a
 * one-shot CronJob keeps it in its Git cache folder). An entry holds exactly the trees {@link YamlDocuments} made
 * (integers as longs, decimals as written, key order) and each document's line; it is keyed by the content's Git
 * blob id (what {@code git hash-object} prints for the file) and by the YAML limits it was parsed under, so an entry
 * made under looser limits is never served under stricter ones. Files that do not parse are not kept: their errors
 * are found anew. An unreadable entry is parsed again and replaced. The folder is as trusted as the Git mirrors
 * beside it.
 */
public final class ParsedCache {

    /** The entries' format; a change of format starts a new folder. */
    static final String FORMAT = "v1";

    /** Reads numbers back as {@link YamlDocuments} types them: every integer a long (or big), every decimal exact. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .nodeFactory(new JsonNodeFactory() {
                @Override
                public NumericNode numberNode(int v) {
                    return numberNode((long) v);
                }
            })
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final Path dir;
    private final InputLimits limits;
    private final AtomicInteger parsed = new AtomicInteger();
    private final AtomicInteger reused = new AtomicInteger();

    private ParsedCache(Path dir, InputLimits limits) {
        this.dir = dir;
        this.limits = limits;
    }

    /** How long an entry is kept: it is then parsed again once, so entries of files long gone do not pile up. */
    static final Duration KEPT = Duration.ofDays(30);

    /** A cache in {@code folder} (created when first written); entries older than {@link #KEPT} are deleted now. */
    public static ParsedCache in(Path folder, InputLimits limits) {
        Path dir = folder.resolve(FORMAT);
        FileTime cutoff = FileTime.from(Instant.now().minus(KEPT));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.getLastModifiedTime(entry).compareTo(cutoff) < 0) {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException e) {
            // no folder yet, or one we cannot clean: entries are still read and written one by one
        }
        return new ParsedCache(dir, limits);
    }

    /** No cache: every file is parsed (validation, tests of the parser). */
    public static ParsedCache none(InputLimits limits) {
        return new ParsedCache(null, limits);
    }

    /** The documents of {@code content} (the file {@code file}), from the cache when it holds them. */
    public List<YamlDocument> parse(String content, String file) {
        return parse(ManifestFile.of(content), file);
    }

    /**
     * The documents of {@code manifest} (the file {@code file}), from the cache when it holds them under the blob id the
     * commit's tree gives it: then its text is not read.
     */
    public List<YamlDocument> parse(ManifestFile manifest, String file) {
        if (dir == null) {
            parsed.incrementAndGet();
            return YamlDocuments.parseAll(manifest.content().get(), file, limits);
        }
        Path entry = entry(manifest.blobId());
        List<YamlDocument> cached = read(entry, file);
        if (cached != null) {
            reused.incrementAndGet();
            return cached;
        }
        List<YamlDocument> documents = YamlDocuments.parseAll(manifest.content().get(), file, limits);
        parsed.incrementAndGet();
        write(entry, documents);
        return documents;
    }

    /** Whether an entry for the blob {@code blobId} is there (to be read, it must also be whole). */
    public boolean holds(String blobId) {
        return dir != null && Files.isRegularFile(entry(blobId));
    }

    private Path entry(String blobId) {
        return dir.resolve(blobId + "-" + limits.yamlMaxDepth() + "-" + limits.yamlMaxAliases() + ".json");
    }

    /** The YAML limits files are parsed within. */
    public InputLimits limits() {
        return limits;
    }

    /** Files parsed so far by this instance. */
    public int parsedFiles() {
        return parsed.get();
    }

    /** Files read back from the cache so far by this instance. */
    public int reusedFiles() {
        return reused.get();
    }

    /** The Git blob id of {@code content}: SHA-1 over {@code blob <length>\0} and the UTF-8 bytes, as Git computes it. */
    public static String blobId(String content) {
        try (ObjectInserter.Formatter git = new ObjectInserter.Formatter()) {
            return git.idFor(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)).name();
        }
    }

    private static List<YamlDocument> read(Path entry, String file) {
        try {
            JsonNode stored = JSON.readTree(entry.toFile());
            List<YamlDocument> documents = new ArrayList<>();
            for (JsonNode document : stored.path("documents")) {
                if (!document.path("line").canConvertToInt() || !document.has("tree")) {
                    return null;
                }
                documents.add(new YamlDocument(document.get("tree"), file, document.path("line").asInt()));
            }
            return stored.has("documents") ? documents : null;
        } catch (JacksonException e) {
            return null; // not there yet, or not whole: parse again
        }
    }

    private void write(Path entry, List<YamlDocument> documents) {
        ObjectNode stored = JsonNodeFactory.instance.objectNode();
        ArrayNode list = stored.putArray("documents");
        for (YamlDocument document : documents) {
            list.addObject().put("line", document.line()).set("tree", document.tree());
        }
        try {
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, "entry-", ".partial");
            try {
                JSON.writeValue(partial.toFile(), stored);
                try {
                    Files.move(partial, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, entry, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException | JacksonException e) {
            // a cache that cannot be written costs the next run a parse, nothing else
        }
    }
}
