package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container image Jib builds in {@code pre-integration-test} (a tar FROM scratch: no registry, no Docker daemon):
 * its entrypoint runs driftwarden's main class on the classpath Jib writes, as a non-root user, with the classes,
 * resources and dependencies in layers of their own. What it cannot prove: that it runs — FROM scratch has no Java;
 * the README's command builds on a Java base.
 */
class ImageIT {

    private static final Path TAR = Path.of("target", "driftwarden-image.tar");

    @Test
    void theImageRunsDriftwardensMainClassAsANonRootUserWithLayeredDependencies() throws Exception {
        Map<String, byte[]> entries = entries(Files.newInputStream(TAR));
        JsonMapper json = JsonMapper.builder().build();
        JsonNode manifest = json.readTree(entries.get("manifest.json")).get(0);
        JsonNode config = json.readTree(entries.get(manifest.get("Config").asString())).get("config");

        assertThat(config.get("Entrypoint").toString()).isEqualTo("[\"java\",\"-cp\",\"@/app/jib-classpath-file\",\"io.driftwarden.cron.Main\"]");
        assertThat(config.get("User").asString()).isEqualTo("65532:65532");
        assertThat(config.get("WorkingDir").asString()).isEqualTo("/work");
        List<String> files = new ArrayList<>();
        for (JsonNode layer : manifest.get("Layers")) {
            files.addAll(entries(new GZIPInputStream(new java.io.ByteArrayInputStream(entries.get(layer.asString())))).keySet());
        }
        assertThat(files).contains("app/classes/io/driftwarden/cron/Main.class", "app/resources/logback.xml", "app/jib-classpath-file");
        assertThat(files).anyMatch(f -> f.matches("app/libs/org\\.eclipse\\.jgit-7\\.8\\.1.*\\.jar"));
        assertThat(files).anyMatch(f -> f.matches("app/libs/driftwarden-jobs-.*\\.jar"));
        assertThat(manifest.get("Layers").size()).isGreaterThanOrEqualTo(4);
    }

    /** The files of a tar stream by name (a small tar reader: names, sizes, 512-byte blocks). */
    private static Map<String, byte[]> entries(InputStream stream) throws Exception {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = new BufferedInputStream(stream)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "");
                String prefix = new String(header, 345, 155, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 12, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
                byte[] content = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                String full = (prefix.isEmpty() ? "" : prefix + "/") + name;
                entries.put(full.startsWith("./") ? full.substring(2) : full.replaceFirst("^/", ""), content);
            }
        }
        return entries;
    }
}
