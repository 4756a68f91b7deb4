package io.driftwarden.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secret given by reference, never by value: {@code env:NAME} or {@code file:PATH}, and where the reference is
 * written ({@code origin}, {@code file:line}). {@link #toString()} shows the reference, so printing a config never
 * prints a secret.
 */
public record SecretRef(String scheme, String target, String origin) {

    public SecretRef(String scheme, String target) {
        this(scheme, target, scheme + ":" + target);
    }

    /** Parses {@code env:NAME} or {@code file:PATH} declared at {@code origin} ({@code file:line}). */
    public static SecretRef parse(String text, String origin) {
        SecretRef ref = parse(text);
        return new SecretRef(ref.scheme(), ref.target(), origin);
    }

    /** Parses {@code env:NAME} or {@code file:PATH}; anything else is an {@link IllegalArgumentException}. */
    public static SecretRef parse(String text) {
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? "" : text.substring(0, colon);
        String target = colon < 0 ? "" : text.substring(colon + 1);
        if (!(scheme.equals("env") || scheme.equals("file")) || target.isBlank()) {
            throw new IllegalArgumentException("expected env:NAME or file:PATH, got '" + text + "'");
        }
        return new SecretRef(scheme, target);
    }

    /** Reads the secret now; a missing variable or file is an error naming the reference, not the value. */
    public String resolve() {
        if (scheme.equals("env")) {
            String value = System.getenv(target);
            if (value == null) {
                throw new IllegalStateException("environment variable " + target + " is not set");
            }
            return value;
        }
        try {
            return Files.readString(Path.of(target)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + target, e);
        }
    }

    /** Two references to the same secret are equal wherever they were written. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SecretRef ref && ref.scheme.equals(scheme) && ref.target.equals(target);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(scheme, target);
    }

    @Override
    public String toString() {
        return scheme + ":" + target;
    }
}
