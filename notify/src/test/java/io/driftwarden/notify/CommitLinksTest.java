package io.driftwarden.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which source URLs get a commit link, and which only their SHA. */
class CommitLinksTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    static Stream<Arguments> links() {
        return Stream.of(
                Arguments.of("https://github.com/acme/platform.git", SHA, "https://github.com/acme/platform/commit/" + SHA),
                Arguments.of("https://github.com/acme/platform/", SHA, "https://github.com/acme/platform/commit/" + SHA),
                Arguments.of("https://gitlab.example.com/group/sub/app.git", SHA, "https://gitlab.example.com/group/sub/app/-/commit/" + SHA),
                Arguments.of("https://bitbucket.org/acme/app.git", SHA, "https://bitbucket.org/acme/app/commits/" + SHA),
                Arguments.of("https://git.example.com:8443/acme/app", SHA, "https://git.example.com:8443/acme/app/commit/" + SHA),
                // no page to link to, or nothing we may show: the SHA alone
                Arguments.of("file:///srv/git/platform.git", SHA, null),
                Arguments.of("ssh://git@github.com/acme/platform.git", SHA, null),
                Arguments.of("git@github.com:acme/platform.git", SHA, null),
                Arguments.of("http://github.com/acme/platform.git", SHA, null),
                Arguments.of("https://token:x-oauth@github.com/acme/platform.git", SHA, null),
                Arguments.of("https://github.com/acme/platform.git?ref=<script>", SHA, null),
                Arguments.of("https://github.com/platform.git", SHA, null),
                Arguments.of("javascript:alert(1)//github.com/a/b", SHA, null),
                Arguments.of("https://github.com/acme/platform.git", "main", null),
                Arguments.of("https://github.com/acme/platform.git", SHA + "\"><img>", null),
                Arguments.of(null, SHA, null));
    }

    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @MethodSource("links")
    void linksOnlyHttpsRepositoryPagesWithAShaOfHex(String url, String commit, String link) {
        assertThat(CommitLinks.link(url, commit)).isEqualTo(link);
    }
}
