package io.driftwarden.jobs.chart;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Chart archives, OCI manifests and provenance files kept on disk beside the Git mirrors ({@code <cache>/charts}),
 * shared by every binding and run. Content is stored under its own SHA-256 ({@code sha256/HEX}) and checked against it
 * when read, so a damaged entry is fetched again rather than used; a provenance file is stored under the digest of the
 * archive it signs ({@code prov/HEX}) and is verified each time it is used. Writes go to a temp file in the same folder
 * and are moved into place, so a reader never sees half a file; entries above the size limit are never written.
 */
public final class ChartCache {

    private final Path root;

    /** A cache in {@code root} (created when first written). */
    public ChartCache(Path root) {
        this.root = root;
    }

    /** The folder the cache keeps its files in. */
    public Path root() {
        return root;
    }

    /** The SHA-256 of {@code bytes}, lowercase hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The content stored under {@code hex} (its SHA-256), or empty when absent or no longer matching it. */
    public Optional<byte[]> content(String hex) {
        Path file = contentPath(hex);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            return sha256(bytes).equals(hex) ? Optional.of(bytes) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stores {@code bytes} under their SHA-256 and returns the file. */
    public Path putContent(byte[] bytes) {
        String hex = sha256(bytes);
        Path file = contentPath(hex);
        if (!Files.isRegularFile(file)) {
            write(file, bytes);
        }
        return file;
    }

    /** The file of the content stored under {@code hex}. */
    public Path contentPath(String hex) {
        return root.resolve("sha256").resolve(hex);
    }

    /** The provenance file stored for the archive whose SHA-256 is {@code archiveHex}. */
    public Optional<byte[]> provenance(String archiveHex) {
        try {
            Path file = root.resolve("prov").resolve(archiveHex);
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stores the provenance file of the archive whose SHA-256 is {@code archiveHex}. */
    public void putProvenance(String archiveHex, byte[] prov) {
        write(root.resolve("prov").resolve(archiveHex), prov);
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".tmp-", "");
            try {
                Files.write(temp, bytes);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new ChartException("cannot write the chart cache " + file + ": " + e.getMessage(), e);
        }
    }
}
