package io.driftwarden.jobs.chart;

import io.driftwarden.config.RemoteChart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP side of one remote chart's fetch ({@code java.net.http}): each request bounded by what is left of the
 * chart's {@code timeout} (so a repository that is down fails the binding within it), at most {@value #ATTEMPTS}
 * attempts on a connection failure, 429 or 5xx, redirects followed by hand only where {@link RepositoryPolicy} allows,
 * bodies read no further than their size limit, {@code caFile} as the only trusted CA when set. Credentials go only to
 * the configured repository's origin; messages never carry them.
 */
final class ChartHttp {

    static final int ATTEMPTS = 3;
    private static final int MAX_REDIRECTS = 5;

    /** A response: its final URL, status, headers and body (read up to the limit). */
    record Response(URI uri, int status, Map<String, List<String>> headers, byte[] body) {

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    private final RemoteChart remote;
    private final URI base;
    private final HttpClient client;
    private final Instant deadline;
    private final String what;

    ChartHttp(RemoteChart remote, String what) {
        this.remote = remote;
        this.base = remote.base();
        this.what = what;
        this.deadline = Instant.now().plus(remote.timeout());
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(remote.timeout());
        if (remote.caFile() != null) {
            builder.sslContext(trustOnly(remote));
        }
        this.client = builder.build();
    }

    URI base() {
        return base;
    }

    /**
     * GETs {@code uri} with {@code authorization} (sent only to the repository's origin; null: none), following allowed
     * redirects; {@code blob} allows an https redirect off the registry (content checked by digest afterwards).
     */
    Response get(URI uri, String accept, String authorization, long maxBytes, boolean blob) {
        URI current = uri;
        for (int redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
            String problem = blob && redirects > 0 ? RepositoryPolicy.blobRedirectProblem(base, current) : RepositoryPolicy.problem(base, current);
            if (problem != null) {
                throw new ChartRefusedException(what + ": " + problem);
            }
            Response response = send(current, accept, RepositoryPolicy.sameOrigin(base, current) ? authorization : null, maxBytes);
            if (response.status() / 100 != 3) {
                return response;
            }
            String location = response.header("Location").orElseThrow(() -> new ChartException(what + ": " + response.uri()
                    + " answered " + response.status() + " without a Location"));
            URI next = RepositoryPolicy.resolve(current, location);
            if (next == null) {
                throw new ChartRefusedException(what + ": " + current + " redirects to '" + location + "', which is not a URL");
            }
            current = next;
        }
        throw new ChartException(what + ": more than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    private Response send(URI uri, String accept, String authorization, long maxBytes) {
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(left).GET().header("User-Agent", "driftwarden");
            if (accept != null) {
                request.header("Accept", accept);
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                byte[] body;
                try (InputStream in = response.body()) {
                    body = readAtMost(in, maxBytes, uri);
                }
                int status = response.statusCode();
                if ((status == 429 || status >= 500) && attempt < ATTEMPTS) {
                    failures.add(String.valueOf(status));
                    pause(attempt);
                    continue;
                }
                return new Response(response.uri(), status, response.headers().map(), body);
            } catch (IOException e) {
                failures.add(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                if (attempt < ATTEMPTS) {
                    pause(attempt);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChartException(what + ": interrupted while fetching " + uri);
            }
        }
        throw new ChartException(what + ": " + uri + " could not be fetched within helm.timeout " + seconds(remote.timeout())
                + " (" + failures.size() + " attempts: " + String.join("; ", failures) + ")");
    }

    private byte[] readAtMost(InputStream in, long maxBytes, URI uri) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) != -1) {
            total += read;
            if (total > maxBytes) {
                throw new ChartRefusedException(what + ": " + uri + " sent more than " + maxBytes + " bytes, the limit for it");
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    /** Waits before the next attempt (200 ms, then 400 ms), never past the deadline. */
    private void pause(int attempt) {
        long millis = Math.min(200L << (attempt - 1), Math.max(0, Duration.between(Instant.now(), deadline).toMillis()));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChartException(what + ": interrupted");
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static SSLContext trustOnly(RemoteChart remote) {
        try (InputStream in = Files.newInputStream(remote.caFile())) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new ChartException("helm.caFile " + remote.caFile() + " holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ChartException("cannot read helm.caFile " + remote.caFile() + ": " + e.getMessage(), e);
        }
    }
}
