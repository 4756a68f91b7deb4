package io.driftwarden.jobs.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a chart archive may unpack to: plain files and folders in one top-level folder, within limits; threats refused. */
class ChartArchiveTest {

    private static final ChartArchive.Limits SMALL = new ChartArchive.Limits(1 << 20, 64 << 10, 16 << 10, 20);

    @TempDir
    Path tmp;

    @Test
    void aChartUnpacksToItsFolder() throws IOException {
        byte[] archive = tgz(file("web/Chart.yaml", "name: web\nversion: 1.0.0\n"), file("web/templates/cm.yaml", "kind: ConfigMap\n"));

        Path chart = ChartArchive.extract(archive, tmp.resolve("out"), SMALL, "web");

        assertThat(chart).isEqualTo(tmp.resolve("out/web"));
        assertThat(Files.readString(chart.resolve("templates/cm.yaml"))).isEqualTo("kind: ConfigMap\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            dot-dot entry        | web/../../etc/cron.d/x            | file    |                 | holds a '..' segment
            absolute entry       | /etc/cron.d/x                     | file    |                 | is not a relative path
            windows drive        | C:/Windows/x                      | file    |                 | is not a relative path
            backslash escape     | web\\..\\..\\x                    | file    |                 | is not a relative path
            symbolic link out    | web/templates/passwd.yaml         | symlink | /etc/passwd     | is a symbolic link
            symbolic link in     | web/templates/link.yaml           | symlink | cm.yaml         | is a symbolic link
            hard link            | web/templates/hard.yaml           | hard    | /etc/shadow     | is a hard link
            character device     | web/templates/tty                 | chardev |                 | is a device or FIFO
            fifo                 | web/templates/pipe                | fifo    |                 | is a device or FIFO
            second top folder    | other/Chart.yaml                  | file    |                 | is outside the chart's folder 'web'
            """)
    void hostileEntriesAreRefusedBeforeAnythingIsWritten(String threat, String name, String type, String link, String expected) throws IOException {
        TarArchiveEntry entry = switch (type) {
            case "symlink" -> link(name, TarConstants.LF_SYMLINK, link);
            case "hard" -> link(name, TarConstants.LF_LINK, link);
            case "chardev" -> new TarArchiveEntry(name, TarConstants.LF_CHR);
            case "fifo" -> new TarArchiveEntry(name, TarConstants.LF_FIFO);
            default -> new TarArchiveEntry(name, true);
        };
        byte[] archive = tgz(file("web/Chart.yaml", "name: web\n"), new Entry(entry, "x".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> ChartArchive.extract(archive, tmp.resolve("out"), SMALL, "web 1.0.0"))
                .isInstanceOf(ChartRefusedException.class).hasMessageContaining("web 1.0.0: entry").hasMessageContaining(expected);
        assertThat(tmp.resolve("etc")).doesNotExist();
        assertThat(tmp.resolve("out/web/templates")).doesNotExist();
    }

    @Test
    void aGzipBombStopsAtTheLimitNotAtTheEndOfTheStream() throws IOException {
        byte[] zeros = new byte[SMALL.maxFileBytes() > 0 ? (int) SMALL.maxFileBytes() * 4 : 0];
        byte[] archive = tgz(file("web/Chart.yaml", "name: web\n"), new Entry(sized("web/big.yaml", zeros.length), zeros));

        assertThat(archive.length).isLessThan(zeros.length / 10); // it is small packed
        assertThatThrownBy(() -> ChartArchive.extract(archive, tmp.resolve("out"), SMALL, "web"))
                .isInstanceOf(ChartRefusedException.class).hasMessageContaining("entry 'web/big.yaml' unpacks to more than 16384 bytes");
    }

    @Test
    void manySmallFilesStopAtTheTotalLimit() throws IOException {
        Entry[] entries = new Entry[6];
        entries[0] = file("web/Chart.yaml", "name: web\n");
        for (int i = 1; i < entries.length; i++) {
            byte[] content = new byte[15 << 10];
            entries[i] = new Entry(sized("web/f" + i + ".yaml", content.length), content);
        }

        assertThatThrownBy(() -> ChartArchive.extract(tgz(entries), tmp.resolve("out"), SMALL, "web"))
                .isInstanceOf(ChartRefusedException.class).hasMessageContaining("unpacks to more than 65536 bytes");
    }

    @Test
    void tooManyEntriesAndAnOversizedArchiveAreRefused() throws IOException {
        Entry[] entries = new Entry[25];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = file("web/f" + i + ".yaml", "a: 1\n");
        }
        assertThatThrownBy(() -> ChartArchive.extract(tgz(entries), tmp.resolve("a"), SMALL, "web"))
                .hasMessageContaining("more than 20 entries");
        assertThatThrownBy(() -> ChartArchive.extract(new byte[(1 << 20) + 1], tmp.resolve("b"), SMALL, "web"))
                .hasMessageContaining("more than the limit of 1048576");
    }

    @Test
    void anArchiveWithoutAChartOrNotGzipIsRefused() throws IOException {
        assertThatThrownBy(() -> ChartArchive.extract(tgz(file("web/values.yaml", "a: 1\n")), tmp.resolve("a"), SMALL, "web"))
                .hasMessageContaining("holds no chart");
        assertThatThrownBy(() -> ChartArchive.extract("<html>login</html>".getBytes(StandardCharsets.UTF_8), tmp.resolve("b"), SMALL, "web"))
                .hasMessageContaining("not a readable chart archive");
    }

    private record Entry(TarArchiveEntry entry, byte[] content) {
    }

    private static Entry file(String name, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new Entry(sized(name, bytes.length), bytes);
    }

    private static TarArchiveEntry sized(String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(size);
        return entry;
    }

    private static TarArchiveEntry link(String name, byte type, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setLinkName(target);
        return entry;
    }

    private static byte[] tgz(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : entries) {
                if (entry.entry().isFile()) {
                    entry.entry().setSize(entry.content().length);
                }
                tar.putArchiveEntry(entry.entry());
                if (entry.entry().isFile()) {
                    tar.write(entry.content());
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
