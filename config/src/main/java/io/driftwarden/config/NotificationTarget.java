package io.driftwarden.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One entry of {@code notifications:}: where a run's digest goes and what it carries. HTTP targets ({@code slack},
 * {@code msteams}, {@code webhook}, {@code cloudevents}) have an address — by reference ({@code urlFrom}) or, for
 * {@code webhook} and {@code cloudevents} only, as a literal {@code url} that is not a secret — and {@code webhook} and
 * {@code cloudevents} may sign their body ({@code hmacKeyFrom}); {@code email} has its {@link Email} settings. A row of
 * the run is for this target when its binding matches one of {@code bindings} and its cluster one of {@code clusters}
 * (globs: {@code *}, {@code ?}; an empty list matches all), one of its events is in {@code events}, and its severity is
 * at least {@code severity}. {@code timeout} bounds the whole delivery to this target, retries included.
 */
public record NotificationTarget(String name, Type type, String url, SecretRef urlFrom, SecretRef hmacKey, Set<Event> events,
        List<String> bindings, List<String> clusters, Severity severity, Digest digest, Duration timeout, Email email, String origin) {

    /** What {@code timeout} is when the config names none: the most a dead target may cost a run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public NotificationTarget {
        events = Set.copyOf(events);
        bindings = List.copyOf(bindings);
        clusters = List.copyOf(clusters);
    }

    /** The kinds of target, by their config names. */
    public enum Type {
        SLACK, MSTEAMS, WEBHOOK, CLOUDEVENTS, EMAIL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the address is a secret (a Slack or Teams incoming webhook URL is its own credential). */
        public boolean secretAddress() {
            return this == SLACK || this == MSTEAMS;
        }
    }

    /**
     * What happened in a run that a target can ask for: drift found ({@code drift}), drift corrected
     * ({@code corrected}), a correction or a binding failed ({@code failed}), a write or a commit refused
     * ({@code refused}), an object whose health is Failed ({@code health}), an object deleted because it left Git
     * ({@code prune}).
     */
    public enum Event {
        DRIFT, CORRECTED, FAILED, REFUSED, HEALTH, PRUNE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code failed}, {@code refused} and {@code health} are errors; the rest are news. */
        public Severity severity() {
            return this == FAILED || this == REFUSED || this == HEALTH ? Severity.ERROR : Severity.INFO;
        }
    }

    /** As Flux's {@code eventSeverity}: {@code info} gets everything, {@code error} only failures, refusals and failed health. */
    public enum Severity { INFO, ERROR }

    /** One message per run for the bindings the target selects ({@code run}), or one per object or binding event ({@code event}). */
    public enum Digest { RUN, EVENT }

    /**
     * SMTP settings of an {@code email} target: the server, whether STARTTLS is required (default: yes — the message is
     * not sent over a connection that stays plain), the login by reference, the sender and the recipients, and
     * {@code caFile} (null: the JVM's trusted CAs), PEM certificates that alone are trusted for the server's certificate.
     */
    public record Email(String host, int port, boolean startTls, String username, SecretRef usernameFrom, SecretRef passwordFrom,
            String from, List<String> to, java.nio.file.Path caFile) {

        public Email {
            to = List.copyOf(to);
        }
    }

    /** Whether a row of {@code binding} on {@code cluster} is for this target. */
    public boolean selects(String binding, String cluster) {
        return (bindings.isEmpty() || binding != null && bindings.stream().anyMatch(glob -> Glob.of(glob).matches(binding)))
                && (clusters.isEmpty() || cluster != null && clusters.stream().anyMatch(glob -> Glob.of(glob).matches(cluster)));
    }

    /** Whether something with these events is for this target: one of them is asked for, at the target's severity. */
    public boolean wants(Set<Event> happened) {
        return happened.stream().anyMatch(e -> events.contains(e) && (severity == Severity.INFO || e.severity() == Severity.ERROR));
    }

    @Override
    public String toString() {
        return type.label() + " target '" + name + "' (" + origin + ")";
    }
}
