package io.driftwarden.jobs.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which URLs a chart repository, its index or its redirects may make us fetch: one row a case, threats included. */
class RepositoryPolicyTest {

    private static final URI REPOSITORY = URI.create("https://charts.example.com/stable/");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://charts.example.com/stable/web-1.0.0.tgz                 | allowed
            https://charts.example.com/releases/web-1.0.0.tgz               | allowed
            https://CHARTS.example.com:443/stable/web-1.0.0.tgz             | allowed
            file:///etc/passwd                                              | is not http(s)
            jar:file:///tmp/x.jar!/a                                        | is not http(s)
            ftp://charts.example.com/stable/web-1.0.0.tgz                   | is not http(s)
            http://169.254.169.254/latest/meta-data/iam/security-credentials | is not on the configured repository
            http://charts.example.com/stable/web-1.0.0.tgz                  | is not on the configured repository
            https://charts.example.com:8443/stable/web-1.0.0.tgz            | is not on the configured repository
            https://evil.example.net/web-1.0.0.tgz                          | is not on the configured repository
            https://charts.example.com.evil.net/web-1.0.0.tgz               | is not on the configured repository
            https://user:secret@charts.example.com/stable/web-1.0.0.tgz     | carries credentials
            https://charts.example.com/stable/../../etc/passwd              | holds a '..' segment
            https://charts.example.com/stable/%2e%2e/%2E%2E/etc/passwd      | holds a '..' segment
            https://charts.example.com/stable/..%2fsecret                   | holds a '..' segment
            """)
    void onlyTheConfiguredRepositorysOriginIsFetched(String target, String expected) {
        String problem = RepositoryPolicy.problem(REPOSITORY, URI.create(target));

        if (expected.equals("allowed")) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).contains(expected);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://registry.example.com/v2/charts/web/blobs/sha256:ab        | allowed
            https://cdn.example.net/blobs/ab?sig=x                            | allowed
            http://cdn.example.net/blobs/ab                                   | is not on the configured repository
            http://169.254.169.254/latest/meta-data                           | is not on the configured repository
            file:///etc/passwd                                                | is not http(s)
            https://user:pw@cdn.example.net/blobs/ab                          | carries credentials
            https://cdn.example.net/blobs/../../x                             | holds a '..' segment
            """)
    void aBlobRedirectMayLeaveTheRegistryOnlyOverHttps(String target, String expected) {
        String problem = RepositoryPolicy.blobRedirectProblem(URI.create("https://registry.example.com/"), URI.create(target));

        if (expected.equals("allowed")) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).contains(expected);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            web-1.0.0.tgz                                  | allowed
            /other/web-1.0.0.tgz                           | allowed
            ../../../etc/passwd                            | holds a '..' segment
            //evil.example.net/web-1.0.0.tgz               | is not on the configured repository
            http://169.254.169.254/latest/meta-data        | is not on the configured repository
            file:///etc/passwd                             | is not http(s)
            """)
    void urlsAnIndexNamesResolveAgainstItAndAreThenChecked(String url, String expected) {
        URI uri = RepositoryPolicy.resolve(REPOSITORY.resolve("index.yaml"), url);

        String problem = RepositoryPolicy.problem(REPOSITORY, uri);

        if (expected.equals("allowed")) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).contains(expected);
        }
    }
}
