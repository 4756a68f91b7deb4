package io.driftwarden.jobs.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * No Secret value survives scrubbing, in any form an API server's error can echo it — a property checked over random
 * values (quotes, backslashes, newlines, unicode, HTML characters, short values) with a fixed seed, so a failure
 * repeats.
 */
class SecretMaskerTest {

    private static final String ALPHABET = "abcXYZ019 \"'\\\n\t<>&%+=/:{}éß日本🔑";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void noValueSurvivesInAnyEncodingAnErrorCanCarryIt() {
        Random random = new Random(20261128);
        for (int round = 0; round < 2000; round++) {
            String value = randomValue(random);
            DesiredObject secret = secret(value);
            String message = "admission webhook \"check\" denied the request: " + JSON.writeValueAsString(secret.manifest())
                    + " raw=" + value + " json=" + SecretMasker.jsonEscaped(value, true)
                    + " yaml='" + value.replace("'", "''") + "' url=" + URLEncoder.encode(value, StandardCharsets.UTF_8)
                    + " b64=" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
                    + " mime=" + Base64.getMimeEncoder().encodeToString((value + value + value).getBytes(StandardCharsets.UTF_8))
                    + " twice=" + JSON.writeValueAsString(JSON.writeValueAsString(secret.manifest()));

            String scrubbed = SecretMasker.scrub(message, secret, null);

            if (value.length() >= 3) {
                assertThat(scrubbed).as("value %s", JSON.writeValueAsString(value))
                        .doesNotContain(value, SecretMasker.jsonEscaped(value, true), SecretMasker.jsonEscaped(value, false),
                                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
                                URLEncoder.encode(value, StandardCharsets.UTF_8));
                for (String line : value.split("\n")) {
                    if (line.length() >= 3) {
                        assertThat(scrubbed).as("a line of %s", JSON.writeValueAsString(value)).doesNotContain(line);
                    }
                }
            } else {
                assertThat(scrubbed).as("short value %s", JSON.writeValueAsString(value))
                        .doesNotContain("\"" + SecretMasker.jsonEscaped(value, false) + "\"");
            }
            assertThat(scrubbed).contains("admission webhook");
        }
    }

    @Test
    void textWithoutTheValueIsLeftAlone() {
        String message = "Secret/shop/creds apply failed: Forbidden";

        assertThat(SecretMasker.scrub(message, secret("hunter2-long-enough"), null)).isEqualTo(message);
    }

    private static String randomValue(Random random) {
        int length = 1 + random.nextInt(24);
        StringBuilder value = new StringBuilder();
        int[] codePoints = ALPHABET.codePoints().toArray();
        for (int i = 0; i < length; i++) {
            value.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return value.toString();
    }

    private static DesiredObject secret(String value) {
        ObjectNode manifest = JsonNodeFactory.instance.objectNode();
        manifest.put("apiVersion", "v1").put("kind", "Secret").putObject("metadata").put("name", "creds").put("namespace", "shop");
        manifest.putObject("stringData").put("password", value);
        return new DesiredObject(ResourceKey.of("v1", "Secret", "shop", "creds"), manifest, "app/secret.yaml:1");
    }
}
