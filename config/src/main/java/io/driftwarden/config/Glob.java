package io.driftwarden.config;

import java.util.regex.Pattern;

/**
 * A name pattern as the config writes one (exceptions, sync windows, notification targets): {@code *} is any run of characters (none included), {@code ?} exactly one;
 * every other character stands for itself ({@code web.prod} matches only {@code web.prod}, not {@code webXprod}). A
 * pattern matches the whole name, never a part of it ({@code web} does not match {@code web-prod}).
 */
public record Glob(String pattern, Pattern compiled) {

    /** The pattern that matches every name (a match key that is not set). */
    public static final Glob ANY = of("*");

    public static Glob of(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return new Glob(pattern, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    /** Whether {@code name} as a whole matches (a null name is the empty one: a cluster-scoped object's namespace). */
    public boolean matches(String name) {
        return compiled.matcher(name == null ? "" : name).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Glob g && g.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }
}
