package io.driftwarden.notify.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts messages to one HTTP target with {@code java.net.http.HttpClient}, each attempt bounded by what is left of the
 * target's deadline (connecting included, and reading the answer: an endpoint that accepts and never answers costs the
 * bound, not more), retrying as {@link Retry} says. Redirects are not followed: a signed body goes where it was told to
 * or nowhere. Any 2xx is delivered; a TLS handshake refused (an untrusted certificate) is not tried again.
 */
public final class HttpDelivery {

    /** What a connection may take at most, within the deadline. */
    static final Duration MAX_CONNECT = Duration.ofSeconds(10);

    private final HttpClient client;

    /** A client for one target whose whole delivery is bounded by {@code bound}. */
    public HttpDelivery(Duration bound) {
        this.client = HttpClient.newBuilder().connectTimeout(bound.compareTo(MAX_CONNECT) < 0 ? bound : MAX_CONNECT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A message: its headers (Content-Type included) and body. */
    public record Outgoing(Map<String, String> headers, byte[] body) {
    }

    /** Posts {@code message} to {@code uri} until delivered, refused, out of attempts or out of time. */
    public Result post(URI uri, Outgoing message, Deadline deadline) {
        int attempt = 0;
        int status = 0;
        String failure = "no time left";
        while (!deadline.passed()) {
            attempt++;
            Duration retryAfter = null;
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(deadline.remaining())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
            message.headers().forEach(request::header);
            CompletableFuture<HttpResponse<Void>> sent = client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
            try {
                HttpResponse<Void> response = sent.get(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
                status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return Result.delivered(attempt, status);
                }
                failure = "HTTP " + status;
                if (!Retry.retryable(status)) {
                    return Result.failed(attempt, status, failure);
                }
                retryAfter = response.headers().firstValue("Retry-After").filter(s -> s.matches("\\d{1,5}"))
                        .map(s -> Duration.ofSeconds(Long.parseLong(s))).orElse(null);
            } catch (TimeoutException e) {
                sent.cancel(true);
                status = 0;
                failure = "timed out (" + TimeoutException.class.getSimpleName() + ")";
            } catch (ExecutionException e) {
                status = 0;
                Throwable cause = e.getCause() == null ? e : e.getCause();
                failure = cause instanceof java.net.http.HttpTimeoutException ? "timed out (" + cause.getClass().getSimpleName() + ")"
                        : cause.getClass().getSimpleName();
                if (!(cause instanceof IOException) || cause instanceof javax.net.ssl.SSLHandshakeException) {
                    return Result.failed(attempt, 0, failure);
                }
            } catch (InterruptedException e) {
                sent.cancel(true);
                Thread.currentThread().interrupt();
                return Result.failed(attempt, status, "interrupted");
            }
            Duration wait = Retry.nextWait(attempt, deadline.remaining(), retryAfter);
            if (wait == null) {
                break;
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Result.failed(attempt, status, failure);
            }
        }
        return Result.failed(attempt, status, failure);
    }
}
