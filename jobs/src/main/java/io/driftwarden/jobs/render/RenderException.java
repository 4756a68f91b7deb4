package io.driftwarden.jobs.render;

import java.util.List;

/** The manifests of a binding cannot be used; each problem reads {@code file:line: message}. */
public class RenderException extends RuntimeException {

    private final List<String> problems;

    public RenderException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
