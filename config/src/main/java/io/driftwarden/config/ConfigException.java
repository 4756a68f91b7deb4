package io.driftwarden.config;

import java.util.List;

/** A config that cannot be used; {@link #problems()} holds every {@code file:line: message} found. */
public class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
