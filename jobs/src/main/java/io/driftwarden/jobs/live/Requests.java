package io.driftwarden.jobs.live;

import io.driftwarden.config.ClusterSpec;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every request to one cluster is made, across all bindings that target it:
 * <ul>
 * <li>at most the cluster's {@code maxInFlight} at a time ({@link ClusterSpec#DEFAULT_MAX_IN_FLIGHT} unless the config says
 * otherwise; fabric8 has no limiter of its own). The bound is the cluster's own: a slow cluster holds its own permits,
 * never another's;</li>
 * <li>a request the server did not answer (connection refused or reset, timed out) or answered 429, 500, 502, 503
 * or 504 is tried again, at most {@link #ATTEMPTS} times in all, after an exponential backoff with jitter — never
 * sooner than a {@code Retry-After} the cluster sent (capped at {@link #MAX_RETRY_AFTER}), which holds back every
 * request to that cluster, as client-go does. kube-apiserver's max-in-flight filter answers 429 with that header and
 * a plain-text body, not a Status (k8s.io/apiserver/pkg/server/filters/maxinflight.go, {@code tooManyRequests}), so
 * the header is read, not the body;</li>
 * <li>after {@link #UNREACHABLE_AFTER} attempts in a row that got no answer (or a gateway's 502, 503, 504) the
 * cluster is unreachable for the rest of the run: every later request fails at once, without being sent.</li>
 * </ul>
 * fabric8's own retries are switched off ({@link Clusters}) so that this is the one policy.
 */
public final class Requests {

    /** Tries of one request, the first included. */
    public static final int ATTEMPTS = 4;
    /** Attempts in a row without an answer after which a cluster is unreachable for the rest of the run. */
    public static final int UNREACHABLE_AFTER = 6;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(4);
    /** The longest {@code Retry-After} honoured; a longer one is waited this long. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(Requests.class);

    private final String cluster;
    private final int inFlight;
    private final Semaphore permits;
    private final AtomicInteger unansweredInARow = new AtomicInteger();
    private final AtomicLong holdUntilNanos = new AtomicLong(System.nanoTime());
    private volatile String unreachable;

    Requests(String cluster) {
        this(cluster, ClusterSpec.DEFAULT_MAX_IN_FLIGHT);
    }

    Requests(String cluster, int inFlight) {
        this.cluster = cluster;
        this.inFlight = inFlight;
        this.permits = new Semaphore(inFlight);
    }

    /** Requests in flight to this cluster at most, across all bindings that target it. */
    public int inFlight() {
        return inFlight;
    }

    /** Whether the cluster has been declared unreachable in this run, and why; null while it answers. */
    public String unreachable() {
        return unreachable;
    }

    /** Threads that wait on requests sent side by side; idle ones end after a minute. */
    private static final ExecutorService SIDE_BY_SIDE = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "request");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Runs {@code work} (which sends its requests through {@link #call}) on a thread of its own, so that requests of
     * one binding that do not depend on each other are in flight together; how many are is still {@link #call}'s
     * business, per cluster. Wait for it with {@link io.driftwarden.jobs.concurrent.Futures#join}.
     */
    public static <T> CompletableFuture<T> inParallel(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, SIDE_BY_SIDE);
    }

    /**
     * Sends one request under this policy. A failure is a {@link KubernetesClientException} whose message names the
     * cluster, the HTTP status and the server's own message (or what went wrong when there was no answer).
     */
    public <T> T call(Supplier<T> request) {
        KubernetesClientException previous = null;
        for (int attempt = 1; ; attempt++) {
            if (previous != null && unreachable != null) {
                // sent before, and the cluster was declared unreachable meanwhile (by another request): the answer this
                // request did not get, not "not sent"
                throw describe(previous, attempt - 1);
            }
            failIfUnreachable();
            awaitHold();
            KubernetesClientException failure;
            Outcome outcome;
            permits.acquireUninterruptibly();
            try {
                // looked at again with the permit held: a request that waited for a permit while the cluster was cut
                // off is not sent. A failure is counted before its permit is released, so when the cut-off comes at most
                // maxInFlight - 1 other requests are in flight, and no later one is sent.
                if (unreachable != null) {
                    if (previous != null) {
                        throw describe(previous, attempt - 1);
                    }
                    failIfUnreachable();
                }
                try {
                    T result = request.get();
                    unansweredInARow.set(0);
                    return result;
                } catch (KubernetesClientException e) {
                    failure = e;
                }
                outcome = classify(failure);
                if (outcome == Outcome.ANSWERED) {
                    unansweredInARow.set(0);
                } else if (outcome == Outcome.UNANSWERED) {
                    cutOffAfter(unansweredInARow.incrementAndGet(), failure);
                }
            } finally {
                permits.release();
            }
            if (outcome == Outcome.ANSWERED || attempt == ATTEMPTS || unreachable != null) {
                throw describe(failure, attempt);
            }
            previous = failure;
            Duration wait = backoff(attempt);
            LOG.debug("cluster {}: attempt {} failed ({}); retrying in {} ms", cluster, attempt, cause(failure), wait.toMillis());
            sleep(wait);
        }
    }

    /** Declares the cluster unreachable once {@code unanswered} attempts in a row got no answer (the first to get there). */
    private synchronized void cutOffAfter(int unanswered, KubernetesClientException last) {
        if (unanswered >= UNREACHABLE_AFTER && unreachable == null) {
            unreachable = UNREACHABLE_AFTER + " requests in a row got no answer; the last: " + cause(last);
            LOG.warn("cluster {} is unreachable: {}", cluster, unreachable);
        }
    }

    private void failIfUnreachable() {
        String why = unreachable;
        if (why != null) {
            throw new KubernetesClientException("cluster " + cluster + " is unreachable (" + why + "); not sent");
        }
    }

    /** Backoff before attempt {@code attempt + 1}: doubling from {@link #FIRST_BACKOFF}, half of it random. */
    static Duration backoff(int attempt) {
        long full = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }

    private void awaitHold() {
        long wait = holdUntilNanos.get() - System.nanoTime();
        if (wait > 0) {
            sleep(Duration.ofNanos(wait));
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while waiting to retry", e);
        }
    }

    /** Records a {@code Retry-After} of a 429 or 5xx answer: no request to this cluster goes out before it. */
    Interceptor retryAfter() {
        return new Interceptor() {
            @Override
            public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                if (response.code() == 429 || response.code() >= 500) {
                    holdFor(retryAfter(response.header("Retry-After")));
                }
            }
        };
    }

    /** Holds back every request to this cluster for {@code asked}, at most {@link #MAX_RETRY_AFTER}. */
    void holdFor(Duration asked) {
        if (asked.toMillis() > 0) {
            long until = System.nanoTime() + Math.min(asked.toNanos(), MAX_RETRY_AFTER.toNanos());
            holdUntilNanos.accumulateAndGet(until, Math::max);
        }
    }

    /** How long requests to this cluster are still held back. */
    Duration held() {
        return Duration.ofNanos(Math.max(0, holdUntilNanos.get() - System.nanoTime()));
    }

    /** RFC 9110 {@code Retry-After}: seconds, or an HTTP date. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Duration.ZERO;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                return Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException neither) {
                return Duration.ZERO;
            }
        }
    }

    private enum Outcome { ANSWERED, RETRY, UNANSWERED }

    private static Outcome classify(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 502 || code == 503 || code == 504) {
            return Outcome.UNANSWERED;
        }
        if (code == 429 || code == 500) {
            return Outcome.RETRY;
        }
        if (code > 0) {
            return Outcome.ANSWERED;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return Outcome.UNANSWERED;
            }
        }
        return Outcome.ANSWERED;
    }

    /** The failure as one line: the cluster, the HTTP status and the server's message, or why there was no answer. */
    private KubernetesClientException describe(KubernetesClientException e, int attempts) {
        String tries = attempts > 1 ? " (after " + attempts + " attempts)" : "";
        String message;
        if (e.getCode() > 0) {
            String said = e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isBlank()
                    ? e.getStatus().getMessage() : e.getMessage();
            message = "cluster " + cluster + " answered HTTP " + e.getCode() + tries + ": " + said;
        } else if (unreachable != null) {
            message = "cluster " + cluster + " is unreachable (" + unreachable + ")";
        } else {
            message = "cluster " + cluster + " did not answer" + tries + ": " + cause(e);
        }
        return new KubernetesClientException(message, e, e.getCode(), e.getStatus(), null);
    }

    /** The innermost cause, as its kind and message: {@code ConnectException: Connection refused}. */
    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof TimeoutException) {
            return "no answer within the request timeout";
        }
        String text = root.getMessage();
        return root.getClass().getSimpleName() + (text == null || text.isBlank() ? "" : ": " + text);
    }
}
