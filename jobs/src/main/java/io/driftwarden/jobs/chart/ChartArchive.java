package io.driftwarden.jobs.chart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a chart archive ({@code .tgz}) into a folder, entry by entry, refusing before anything is written what Helm's
 * own loader refuses and more: an absolute path or a {@code ..} segment, a symbolic or hard link, a device or FIFO, more
 * than one top-level folder, more entries, bigger files or more bytes in all than {@link Limits} allow (a gzip bomb stops
 * at the limit, not at the end of the stream).
 */
public final class ChartArchive {

    /** Bounds on what one archive may unpack to; Helm's loader allows 100 MiB in all and 5 MiB a file. */
    public record Limits(long maxArchiveBytes, long maxTotalBytes, long maxFileBytes, int maxEntries) {

        /** Helm's own limits on a chart ({@code MaxDecompressedChartSize}, {@code MaxDecompressedFileSize}), 20 MiB packed. */
        public static final Limits DEFAULTS = new Limits(20L << 20, 100L << 20, 5L << 20, 10_000);
    }

    private ChartArchive() {
    }

    /**
     * Unpacks {@code archive} into {@code target} (created; must not exist) and returns the chart's folder in it (the
     * archive's one top-level folder). {@code what} names the archive in messages. A refusal is a
     * {@link ChartRefusedException}.
     */
    public static Path extract(byte[] archive, Path target, Limits limits, String what) {
        if (archive.length > limits.maxArchiveBytes()) {
            throw new ChartRefusedException(what + ": the archive is " + archive.length + " bytes, more than the limit of "
                    + limits.maxArchiveBytes());
        }
        String top = null;
        long total = 0;
        int entries = 0;
        try {
            Files.createDirectories(target);
            Path root = target.toRealPath();
            try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(archive));
                 TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (++entries > limits.maxEntries()) {
                        throw new ChartRefusedException(what + ": more than " + limits.maxEntries() + " entries");
                    }
                    String name = entry.getName();
                    String problem = entryProblem(entry);
                    if (problem != null) {
                        throw new ChartRefusedException(what + ": entry '" + name + "' " + problem);
                    }
                    String clean = name.replaceAll("^(\\./)+", "").replaceAll("/+$", "");
                    if (clean.isEmpty()) {
                        continue;
                    }
                    String first = clean.split("/")[0];
                    if (top == null) {
                        top = first;
                    } else if (!top.equals(first)) {
                        throw new ChartRefusedException(what + ": entry '" + name + "' is outside the chart's folder '" + top
                                + "' (a chart archive holds one top-level folder)");
                    }
                    Path path = root.resolve(clean).normalize();
                    if (!path.startsWith(root)) {
                        throw new ChartRefusedException(what + ": entry '" + name + "' leaves the folder it is unpacked into");
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(path);
                        continue;
                    }
                    Files.createDirectories(path.getParent());
                    long size = 0;
                    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        byte[] buffer = new byte[8192];
                        int read;
                        while ((read = tar.read(buffer)) != -1) {
                            size += read;
                            total += read;
                            if (size > limits.maxFileBytes()) {
                                throw new ChartRefusedException(what + ": entry '" + name + "' unpacks to more than "
                                        + limits.maxFileBytes() + " bytes");
                            }
                            if (total > limits.maxTotalBytes()) {
                                throw new ChartRefusedException(what + ": the archive unpacks to more than " + limits.maxTotalBytes() + " bytes");
                            }
                            out.write(buffer, 0, read);
                        }
                    } catch (java.nio.file.FileAlreadyExistsException e) {
                        throw new ChartRefusedException(what + ": entry '" + name + "' appears twice");
                    }
                }
            }
        } catch (IOException e) {
            throw new ChartRefusedException(what + ": not a readable chart archive (.tgz): " + e.getMessage());
        }
        if (top == null || !Files.isRegularFile(target.resolve(top).resolve("Chart.yaml"))) {
            throw new ChartRefusedException(what + ": the archive holds no chart (no top-level folder with a Chart.yaml)");
        }
        return target.resolve(top);
    }

    /** Why a tar entry may not be unpacked, or null: only plain files and folders at relative paths inside the chart. */
    static String entryProblem(TarArchiveEntry entry) {
        if (entry.isSymbolicLink()) {
            return "is a symbolic link (to '" + entry.getLinkName() + "'): refused";
        }
        if (entry.isLink()) {
            return "is a hard link (to '" + entry.getLinkName() + "'): refused";
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            return "is a device or FIFO: refused";
        }
        if (!entry.isFile() && !entry.isDirectory()) {
            return "is neither a file nor a folder: refused";
        }
        String name = entry.getName();
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || name.contains("\\") || name.indexOf('\0') >= 0) {
            return "is not a relative path: refused";
        }
        if (List.of(name.split("/")).contains("..")) {
            return "holds a '..' segment: refused";
        }
        return null;
    }
}
