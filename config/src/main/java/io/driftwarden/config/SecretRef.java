package io.driftwarden.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secret given by reference, never by value: {@code env:NAME} or {@code file:PATH}. {@link #toString()}
 * shows the reference, so printing a config never prints a secret.
 */
public record SecretRef(String scheme, String target) {

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

    @Override
    public String toString() {
        return scheme + ":" + target;
    }
}
