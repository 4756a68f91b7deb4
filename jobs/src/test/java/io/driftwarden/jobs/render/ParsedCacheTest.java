package io.driftwarden.jobs.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwarden.config.InputLimits;
import io.driftwarden.config.yaml.YamlDocument;
import io.driftwarden.config.yaml.YamlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Parsed manifests kept on disk by Git blob id, on real files. */
class ParsedCacheTest {

    /** Scalars as Kubernetes' YAML reader types them, the ones a JSON round trip would change if done naively. */
    private static final String TRICKY = """
            # a comment, then an empty document
            ---
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: tricky, labels: {"z": "1", "a": "2"}}
            numbers:
              small: 3
              octal: 017
              yamlOctal: 0o17
              hex: 0x1F
              underscores: 1_000
              huge: 1180591620717411303424
              negative: -42
              decimal: 1.50
              exponent: 1e3
              negativeZero: -0.0
              infinity: .inf
              notANumber: .nan
            others: [true, yes, on, off, null, ~, "3", '0x1F', "", "ünïcödé ✓", {nested: [[1], []]}]
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: second}
            stringData: {k: "v"}
            """;

    @TempDir
    Path tmp;

    @Test
    void readsBackExactlyWhatTheParserMadeNodeTypesLinesAndKeyOrderIncluded() throws Exception {
        List<Map.Entry<String, String>> files = new ArrayList<>();
        files.add(Map.entry("tricky.yaml", TRICKY));
        Path fixtures = Path.of(ParsedCacheTest.class.getResource("/live-objects").toURI());
        try (Stream<Path> walk = Files.walk(fixtures)) {
            walk.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted()
                    .forEach(f -> files.add(Map.entry(fixtures.relativize(f).toString(), read(f))));
        }
        assertThat(files).hasSizeGreaterThan(15);

        for (Map.Entry<String, String> file : files) {
            List<YamlDocument> parsed = ParsedCache.none(InputLimits.DEFAULTS).parse(file.getValue(), file.getKey());
            ParsedCache writing = ParsedCache.in(tmp, InputLimits.DEFAULTS);
            writing.parse(file.getValue(), file.getKey());
            ParsedCache reading = ParsedCache.in(tmp, InputLimits.DEFAULTS);

            List<YamlDocument> cached = reading.parse(file.getValue(), "elsewhere/" + file.getKey());

            assertThat(reading.parsedFiles()).as(file.getKey()).isZero();
            assertThat(reading.reusedFiles()).as(file.getKey()).isEqualTo(1);
            assertThat(cached).as(file.getKey()).hasSameSizeAs(parsed);
            for (int i = 0; i < parsed.size(); i++) {
                assertThat(cached.get(i).line()).as(file.getKey()).isEqualTo(parsed.get(i).line());
                assertThat(cached.get(i).file()).as("the origin names the path it is read at").isEqualTo("elsewhere/" + file.getKey());
                assertSameTree(file.getKey() + " document " + i, cached.get(i).tree(), parsed.get(i).tree());
            }
        }
        JsonNode numbers = ParsedCache.in(tmp, InputLimits.DEFAULTS).parse(TRICKY, "t.yaml").get(0).tree().get("numbers");
        assertThat(numbers.get("decimal").decimalValue()).hasToString("1.50");
        assertThat(numbers.get("infinity").isString()).isTrue();
    }

    @Test
    void anEntryIsNamedByTheFilesGitBlobIdAndTheLimitsItWasParsedUnder() throws Exception {
        // `printf 'hello\n' | git hash-object --stdin`
        assertThat(ParsedCache.blobId("hello\n")).isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");

        ParsedCache.in(tmp, InputLimits.DEFAULTS).parse(TRICKY, "t.yaml");

        try (Stream<Path> entries = Files.list(tmp.resolve(ParsedCache.FORMAT))) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactly(ParsedCache.blobId(TRICKY) + "-" + InputLimits.DEFAULTS.yamlMaxDepth() + "-"
                            + InputLimits.DEFAULTS.yamlMaxAliases() + ".json");
        }
    }

    @Test
    void anEntryMadeUnderLooserLimitsIsNotServedUnderStricterOnes() {
        String aliases = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: &d {k: v}\nx: [*d, *d, *d]\n";
        ParsedCache.in(tmp, InputLimits.DEFAULTS).parse(aliases, "a.yaml");
        InputLimits strict = new InputLimits(InputLimits.DEFAULTS.maxFileBytes(), InputLimits.DEFAULTS.maxBindingBytes(),
                InputLimits.DEFAULTS.yamlMaxDepth(), 1);

        assertThatThrownBy(() -> ParsedCache.in(tmp, strict).parse(aliases, "a.yaml")).isInstanceOf(YamlException.class)
                .hasMessageStartingWith("a.yaml:");
    }

    @Test
    void aFileThatDoesNotParseIsNotKeptAndADamagedEntryIsParsedAgain() throws Exception {
        assertThatThrownBy(() -> ParsedCache.in(tmp, InputLimits.DEFAULTS).parse("a: [1,\n", "bad.yaml"))
                .isInstanceOf(YamlException.class);
        assertThat(tmp.resolve(ParsedCache.FORMAT)).doesNotExist();

        ParsedCache first = ParsedCache.in(tmp, InputLimits.DEFAULTS);
        List<YamlDocument> parsed = first.parse(TRICKY, "t.yaml");
        Path entry;
        try (Stream<Path> entries = Files.list(tmp.resolve(ParsedCache.FORMAT))) {
            entry = entries.findFirst().orElseThrow();
        }
        Files.writeString(entry, "{\"documents\": [{\"line\": 4, \"tr");   // cut off

        ParsedCache again = ParsedCache.in(tmp, InputLimits.DEFAULTS);
        List<YamlDocument> read = again.parse(TRICKY, "t.yaml");

        assertThat(again.parsedFiles()).isEqualTo(1);
        assertSameTree("re-parsed", read.get(0).tree(), parsed.get(0).tree());
        ParsedCache third = ParsedCache.in(tmp, InputLimits.DEFAULTS);
        third.parse(TRICKY, "t.yaml");
        assertThat(third.reusedFiles()).as("the damaged entry was replaced").isEqualTo(1);
    }

    @Test
    void aFileTheCacheHoldsUnderItsTreesBlobIdIsNotReadAndIsReadWhenItsEntryIsDamaged() throws Exception {
        // given a cache that parsed the file before, and the file as a commit's tree names it: its blob id, its text unread
        ParsedCache.in(tmp, InputLimits.DEFAULTS).parse(TRICKY, "t.yaml");
        AtomicInteger reads = new AtomicInteger();
        ManifestFile file = new ManifestFile(ParsedCache.blobId(TRICKY), () -> {
            reads.incrementAndGet();
            return TRICKY;
        });
        ParsedCache cache = ParsedCache.in(tmp, InputLimits.DEFAULTS);

        // when
        List<YamlDocument> cached = cache.parse(file, "t.yaml");

        // then
        assertThat(cache.holds(file.blobId())).isTrue();
        assertThat(cached).hasSize(2);
        assertThat(reads).as("served by blob id: the text is not read").hasValue(0);

        // and when the entry is damaged, the text is read and parsed again
        try (Stream<Path> entries = Files.list(tmp.resolve(ParsedCache.FORMAT))) {
            Files.writeString(entries.findFirst().orElseThrow(), "{\"documents\": [");
        }
        ParsedCache again = ParsedCache.in(tmp, InputLimits.DEFAULTS);
        assertThat(again.parse(file, "t.yaml")).hasSize(2);
        assertThat(reads).hasValue(1);
        assertThat(again.parsedFiles()).isEqualTo(1);
        assertThat(ParsedCache.in(tmp, InputLimits.DEFAULTS).holds(ParsedCache.blobId("not parsed yet\n"))).isFalse();
    }

    /** Equal values and the same node class at every position (a LongNode is not an IntNode to the differ). */
    private static void assertSameTree(String where, JsonNode actual, JsonNode expected) {
        assertThat(actual.getClass()).as(where).isEqualTo(expected.getClass());
        assertThat(actual).as(where).isEqualTo(expected);
        if (expected.isObject()) {
            assertThat(actual.propertyNames()).as(where + ": key order").containsExactlyElementsOf(expected.propertyNames());
            for (String key : expected.propertyNames()) {
                assertSameTree(where + "." + key, actual.get(key), expected.get(key));
            }
        } else if (expected.isArray()) {
            Iterator<JsonNode> a = actual.iterator();
            int i = 0;
            for (JsonNode e : expected) {
                assertSameTree(where + "[" + i++ + "]", a.next(), e);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
