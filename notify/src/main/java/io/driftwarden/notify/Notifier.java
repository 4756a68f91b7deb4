package io.driftwarden.notify;

import io.cloudevents.http.HttpMessageFactory;
import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.NotificationTarget;
import io.driftwarden.config.SecretRef;
import io.driftwarden.notify.delivery.Deadline;
import io.driftwarden.notify.delivery.HttpDelivery;
import io.driftwarden.notify.delivery.MailDelivery;
import io.driftwarden.notify.delivery.Result;
import io.driftwarden.notify.delivery.Signature;
import io.driftwarden.notify.message.CloudEventMessage;
import io.driftwarden.notify.message.EmailText;
import io.driftwarden.notify.message.SlackMessage;
import io.driftwarden.notify.message.TeamsMessage;
import io.driftwarden.notify.message.WebhookJson;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells each {@code notifications:} target what a finished run did, from the run's own audit rows (masked as the trail
 * is; nothing else is read). The targets are delivered at once, each on its own thread within its own
 * {@code timeout}, so a dead target costs the run at most the largest bound. A message that could not be delivered
 * becomes a {@code NOTIFY_FAILED} row naming the target and the HTTP status or the exception's class — never its
 * address or a secret. Nothing here throws into the run or changes its exit code.
 */
public final class Notifier {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Notifier.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What a target's thread gets beyond its bound to hand in its result before it is abandoned. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final Clock clock;

    public Notifier(Clock clock) {
        this.clock = clock;
    }

    /** How one target's delivery went: messages it had, how many were delivered, and the failures recorded. */
    public record Sent(String target, int messages, int delivered, List<String> failures) {
    }

    /** Messages that were not delivered (the digests they carried), and why. */
    record Failure(List<Digest> digests, String error) {

        static Failure of(Digest digest, String error) {
            return new Failure(List.of(digest), error);
        }
    }

    /** After the bindings of run {@code runId} have finished: every target's messages, delivered; failures recorded. */
    public List<Sent> afterRun(DriftwardenConfig config, String runId, AuditLog audit) {
        return afterRun(config, runId, audit, false);
    }

    /**
     * As {@link #afterRun(DriftwardenConfig, String, AuditLog)}; a run that was asked to stop ({@code stopped}: SIGTERM,
     * its grace period running) sends nothing and records, per target that had messages, that they were not sent.
     */
    public List<Sent> afterRun(DriftwardenConfig config, String runId, AuditLog audit, boolean stopped) {
        if (config.notifications().isEmpty()) {
            return List.of();
        }
        try {
            List<AuditRecord> rows = audit.records(ReportFilter.run(runId));
            List<Item> items = Items.of(rows);
            String trigger = rows.stream().map(r -> r.entry().trigger()).filter(java.util.Objects::nonNull).findFirst().orElse("manual");
            Map<NotificationTarget, List<Digest>> work = new LinkedHashMap<>();
            for (NotificationTarget target : config.notifications()) {
                List<Digest> digests = Digests.of(target, runId, trigger, items, clock.instant());
                if (!digests.isEmpty()) {
                    work.put(target, digests);
                }
            }
            if (work.isEmpty()) {
                return List.of();
            }
            if (stopped) {
                List<Sent> sent = new ArrayList<>();
                work.forEach((target, digests) -> {
                    Failure failure = new Failure(digests, messages(digests.size()) + " not sent: the run was asked to stop");
                    failedRows(target, runId, trigger, failure).forEach(audit::append);
                    sent.add(new Sent(target.name(), digests.size(), 0, List.of(failure.error())));
                });
                return sent;
            }
            return deliverAll(work, runId, trigger, audit);
        } catch (RuntimeException e) {
            LOG.warn("notifications after run {} were not sent: {}", runId, e.getClass().getSimpleName());
            return List.of();
        }
    }

    private List<Sent> deliverAll(Map<NotificationTarget, List<Digest>> work, String runId, String trigger, AuditLog audit) {
        ExecutorService pool = Executors.newFixedThreadPool(work.size(), runnable -> {
            Thread thread = new Thread(runnable, "notify-" + runId);
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<NotificationTarget, Future<List<Failure>>> running = new LinkedHashMap<>();
            work.forEach((target, digests) -> running.put(target, pool.submit(() -> deliver(target, digests))));
            List<Sent> sent = new ArrayList<>();
            for (Map.Entry<NotificationTarget, Future<List<Failure>>> entry : running.entrySet()) {
                NotificationTarget target = entry.getKey();
                List<Digest> digests = work.get(target);
                List<Failure> failures;
                try {
                    failures = entry.getValue().get(target.timeout().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    entry.getValue().cancel(true);
                    failures = List.of(new Failure(digests, messages(digests.size()) + ": delivery did not end within timeout "
                            + seconds(target.timeout())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures = List.of(new Failure(digests, "interrupted"));
                } catch (java.util.concurrent.ExecutionException e) {
                    failures = List.of(new Failure(digests, e.getCause().getClass().getSimpleName()));
                }
                int undelivered = failures.stream().mapToInt(f -> f.digests().size()).sum();
                for (Failure failure : failures) {
                    failedRows(target, runId, trigger, failure).forEach(audit::append);
                    LOG.warn("notification '{}' ({}) after run {}: {}", target.name(), target.type().label(), runId, failure.error());
                }
                sent.add(new Sent(target.name(), digests.size(), Math.max(0, digests.size() - undelivered),
                        failures.stream().map(Failure::error).toList()));
                if (failures.isEmpty()) {
                    LOG.info("notification '{}' ({}): {} message(s) delivered after run {}", target.name(), target.type().label(),
                            digests.size(), runId);
                }
            }
            return sent;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One target's messages in order, within one deadline; what could not be delivered, with why. */
    private List<Failure> deliver(NotificationTarget target, List<Digest> digests) {
        Deadline deadline = Deadline.in(target.timeout());
        List<Failure> failures = new ArrayList<>();
        Sender sender;
        try {
            sender = sender(target);
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            failures.add(new Failure(digests, messages(digests.size()) + " not sent: " + e.getMessage()));
            return failures;
        }
        List<Digest> unsent = new ArrayList<>();
        for (Digest digest : digests) {
            if (deadline.passed()) {
                unsent.add(digest);
                continue;
            }
            Result result = sender.send(digest, deadline);
            if (!result.delivered()) {
                failures.add(Failure.of(digest, result.failure() + " after " + result.attempts()
                        + (result.attempts() == 1 ? " attempt" : " attempts")));
            }
        }
        if (!unsent.isEmpty()) {
            failures.add(new Failure(unsent, messages(unsent.size()) + " not sent: timeout " + seconds(target.timeout()) + " reached"));
        }
        return failures;
    }

    /** Sends one digest to a target. */
    private interface Sender {
        Result send(Digest digest, Deadline deadline);
    }

    /** The target's sender, its secrets read now (a reference that does not resolve is named, never a value). */
    private static Sender sender(NotificationTarget target) {
        if (target.type() == NotificationTarget.Type.EMAIL) {
            NotificationTarget.Email smtp = target.email();
            String username = smtp.usernameFrom() != null ? resolve(smtp.usernameFrom(), "smtp.usernameFrom") : smtp.username();
            String password = smtp.passwordFrom() == null ? null : resolve(smtp.passwordFrom(), "smtp.passwordFrom");
            javax.net.ssl.SSLSocketFactory tls = smtp.startTls() && smtp.caFile() != null ? MailDelivery.trusting(smtp.caFile()) : null;
            return (digest, deadline) -> MailDelivery.send(smtp, new MailDelivery.Mail(EmailText.subject(digest), EmailText.plain(digest),
                    EmailText.html(digest), username, password, tls), deadline);
        }
        URI uri = address(target);
        String key = target.hmacKey() == null ? null : resolve(target.hmacKey(), "hmacKeyFrom");
        HttpDelivery http = new HttpDelivery(target.timeout());
        return (digest, deadline) -> http.post(uri, outgoing(target, digest, key), deadline);
    }

    /** The HTTP message for a digest: the service's JSON, or a CloudEvent in binary mode; signed when a key is set. */
    static HttpDelivery.Outgoing outgoing(NotificationTarget target, Digest digest, String hmacKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] body;
        switch (target.type()) {
            case SLACK -> body = JSON.writeValueAsBytes(SlackMessage.of(digest));
            case MSTEAMS -> body = JSON.writeValueAsBytes(TeamsMessage.of(digest));
            case WEBHOOK -> body = JSON.writeValueAsBytes(WebhookJson.of(digest));
            case CLOUDEVENTS -> {
                ByteArrayOutputStream written = new ByteArrayOutputStream();
                HttpMessageFactory.createWriter(headers::put, bytes -> written.writeBytes(bytes == null ? new byte[0] : bytes))
                        .writeBinary(CloudEventMessage.of(digest));
                body = written.toByteArray();
            }
            default -> throw new IllegalStateException("not an HTTP target: " + target.type().label());
        }
        headers.putIfAbsent("Content-Type", "application/json");
        headers.put("User-Agent", "driftwarden");
        if (hmacKey != null) {
            headers.put(Signature.HEADER, Signature.of(hmacKey, body));
        }
        return new HttpDelivery.Outgoing(headers, body);
    }

    private static URI address(NotificationTarget target) {
        String text = target.url() != null ? target.url() : resolve(target.urlFrom(), "urlFrom");
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            // the text may be a secret: name where it came from, never what it is
            throw new IllegalArgumentException((target.urlFrom() != null ? "urlFrom " + target.urlFrom() : "url")
                    + " does not hold an http:// or https:// URL");
        }
    }

    private static String resolve(SecretRef ref, String key) {
        try {
            String value = ref.resolve();
            if (value.isEmpty()) {
                throw new IllegalStateException(key + " " + ref + " is empty");
            }
            return value;
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException(key + ": cannot read secret file " + ref.target());
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage().startsWith(key) ? e.getMessage() : key + ": " + e.getMessage());
        }
    }

    /**
     * The NOTIFY_FAILED rows of a failure: one per binding (and its cluster) the undelivered messages covered, so a
     * report or {@code history} of that binding shows it; each with the run's id and trigger and, in {@code error}, the
     * target's name and type and why — the HTTP status or the exception's class, never the address.
     */
    static List<AuditEntry> failedRows(NotificationTarget target, String runId, String trigger, Failure failure) {
        Map<String, String> clusters = new LinkedHashMap<>();
        failure.digests().forEach(d -> d.items().forEach(item -> clusters.putIfAbsent(item.binding(), item.cluster())));
        String error = "notification '" + target.name() + "' (" + target.type().label() + "): " + failure.error();
        return clusters.entrySet().stream().map(bindingCluster -> new AuditEntry(runId, trigger, bindingCluster.getKey(), null, null,
                bindingCluster.getValue(), null, null, null, null, null, EventType.NOTIFY_FAILED, null, null, null, null, error)).toList();
    }

    private static String messages(int count) {
        return count == 1 ? "1 message" : count + " messages";
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
