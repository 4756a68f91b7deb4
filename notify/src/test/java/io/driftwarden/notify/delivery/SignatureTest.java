package io.driftwarden.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** X-Signature as Flux's generic-hmac: RFC 4231's HMAC-SHA256 vectors, and what must not verify. */
class SignatureTest {

    static Stream<Arguments> vectors() {
        return Stream.of(
                // RFC 4231, test case 2
                Arguments.of("Jefe", "what do ya want for nothing?",
                        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                // the empty body still has a signature
                Arguments.of("key", "", "sha256=5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0"));
    }

    @ParameterizedTest(name = "key {0}")
    @MethodSource("vectors")
    void signsAsHexHmacSha256WithItsPrefix(String key, String body, String signature) {
        assertThat(Signature.of(key, body.getBytes(StandardCharsets.UTF_8))).isEqualTo(signature);
        assertThat(Signature.verifies(key, body.getBytes(StandardCharsets.UTF_8), signature)).isTrue();
    }

    static Stream<Arguments> forgeries() {
        String good = Signature.of("k", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                Arguments.of("another key", "k2", "{\"a\":1}", good),
                Arguments.of("a changed body", "k", "{\"a\":2}", good),
                Arguments.of("a body with a space more", "k", "{\"a\": 1}", good),
                Arguments.of("no prefix", "k", "{\"a\":1}", good.substring("sha256=".length())),
                Arguments.of("upper-case hex", "k", "{\"a\":1}", good.toUpperCase()),
                Arguments.of("no header", "k", "{\"a\":1}", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void doesNotVerify(String what, String key, String body, String header) {
        assertThat(Signature.verifies(key, body.getBytes(StandardCharsets.UTF_8), header)).isFalse();
    }
}
