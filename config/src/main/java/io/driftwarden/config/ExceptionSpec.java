package io.driftwarden.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One approved exception ({@code exceptions:} in the platform's config, never in a tenant's repository): drift on
 * {@code paths} of the objects its match selects is accepted until the end of its {@code expires} day (UTC), with the
 * reason, who approved it and the ticket. The match: {@code binding}, {@code cluster}, {@code namespace} and
 * {@code name} are {@link Glob globs} (a key not set matches anything), {@code kind} is exact. {@code origin} is its
 * {@code file:line}.
 */
public record ExceptionSpec(String name, Glob binding, Glob cluster, Glob namespace, String kind, Glob objectName,
                            List<PathPattern> paths, String reason, String approvedBy, String ticket, LocalDate expires,
                            String origin) {

    public ExceptionSpec {
        paths = List.copyOf(paths);
    }

    /** The first instant at which the exception no longer covers anything: the start of the day after {@code expires}, UTC. */
    public Instant end() {
        return expires.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Whether it still covers drift at {@code now}: up to the end of its {@code expires} day, UTC. */
    public boolean activeAt(Instant now) {
        return now.isBefore(end());
    }

    /** Whether the object (binding, cluster, namespace, kind, name) is one this exception selects. */
    public boolean selects(String objectBinding, String objectCluster, String objectNamespace, String objectKind, String name) {
        return binding.matches(objectBinding) && cluster.matches(objectCluster) && namespace.matches(objectNamespace)
                && kind.equals(objectKind) && objectName.matches(name);
    }

    /** As output and rows name it: {@code hotfix-replicas (CHG-1234, approved by lead@example.com, until 2027-01-15)}. */
    public String describe() {
        return name + " (" + ticket + ", approved by " + approvedBy + ", until " + expires + ")";
    }

    /**
     * A path an exception covers, with everything below it: the drift output's notation ({@code spec.replicas},
     * {@code spec.template.spec.containers[name=web].image}, {@code metadata.labels["app.kubernetes.io/name"]},
     * {@code spec.finalizers[=kubernetes]}, {@code spec.items[0]}) or a JSON pointer ({@code /spec/replicas}, compared
     * with the drifted path's pointer in the live object). {@code text} is how the config wrote it.
     */
    public record PathPattern(String text, boolean pointer, List<Segment> segments) {

        public PathPattern {
            segments = List.copyOf(segments);
        }

        /** One step: a field (or a pointer's reference token), a list element by its keys, a set member, an index. */
        public sealed interface Segment permits Field, Key, Value, Index {
        }

        /** A field name; for a JSON pointer, one reference token (a field or a list index), unescaped. */
        public record Field(String name) implements Segment {
        }

        /** A map-list element by its key fields ({@code [name=web]}, {@code [containerPort=53,protocol=UDP]}), values as text. */
        public record Key(Map<String, String> fields) implements Segment {
            public Key {
                fields = java.util.Collections.unmodifiableMap(new TreeMap<>(fields));
            }
        }

        /** A set member by its value as text ({@code [=kubernetes]}). */
        public record Value(String text) implements Segment {
        }

        /** An element of an atomic list by position ({@code [0]}). */
        public record Index(int index) implements Segment {
        }

        /** Parses a path; IllegalArgumentException says what is wrong with it. */
        public static PathPattern parse(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("a path must not be empty");
            }
            return text.startsWith("/") ? pointer(text) : rendered(text);
        }

        private static PathPattern pointer(String text) {
            List<Segment> tokens = new ArrayList<>();
            for (String token : text.substring(1).split("/", -1)) {
                if (token.isEmpty()) {
                    throw new IllegalArgumentException("'" + text + "' has an empty reference token (//, or a trailing /)");
                }
                if (token.replace("~0", "").replace("~1", "").contains("~")) {
                    throw new IllegalArgumentException("'" + text + "': '~' must be followed by 0 or 1 in a JSON pointer");
                }
                tokens.add(new Field(token.replace("~1", "/").replace("~0", "~")));
            }
            return new PathPattern(text, true, tokens);
        }

        private static PathPattern rendered(String text) {
            List<Segment> segments = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '[') {
                    int close = text.indexOf(']', i);
                    if (close < 0) {
                        throw new IllegalArgumentException("'" + text + "': '[' at " + (i + 1) + " is not closed");
                    }
                    if (text.charAt(i + 1) == '"') {
                        int quote = text.indexOf('"', i + 2);
                        if (quote < 0 || quote + 1 >= text.length() || text.charAt(quote + 1) != ']') {
                            throw new IllegalArgumentException("'" + text + "': a quoted field name must read [\"name\"]");
                        }
                        close = quote + 1;
                        segments.add(new Field(text.substring(i + 2, quote)));
                    } else {
                        segments.add(bracket(text, text.substring(i + 1, close)));
                    }
                    i = close + 1;
                } else {
                    if (c == '.') {
                        if (segments.isEmpty()) {
                            throw new IllegalArgumentException("'" + text + "' must not start with '.'");
                        }
                        i++;
                    } else if (!segments.isEmpty()) {
                        throw new IllegalArgumentException("'" + text + "': expected '.' or '[' at " + (i + 1));
                    }
                    int end = i;
                    while (end < text.length() && isNameChar(text.charAt(end))) {
                        end++;
                    }
                    if (end == i) {
                        throw new IllegalArgumentException("'" + text + "': expected a field name at " + (i + 1)
                                + " (letters, digits, - and _; quote others: [\"app.kubernetes.io/name\"])");
                    }
                    segments.add(new Field(text.substring(i, end)));
                    i = end;
                }
            }
            return new PathPattern(text, false, segments);
        }

        private static Segment bracket(String text, String inside) {
            if (inside.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "': [] names no element");
            }
            if (inside.startsWith("=")) {
                return new Value(inside.substring(1));
            }
            if (inside.matches("\\d{1,9}")) {
                return new Index(Integer.parseInt(inside));
            }
            Map<String, String> keys = new TreeMap<>();
            for (String pair : inside.split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + text + "': [" + inside + "] is not an element key such as [name=web]");
                }
                if (keys.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("'" + text + "': [" + inside + "] names key '" + pair.substring(0, eq) + "' twice");
                }
            }
            return new Key(keys);
        }

        private static boolean isNameChar(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
