package io.driftwarden.config;

/** What a binding does with drift: {@code ENFORCE} corrects it, {@code AUDIT} only records it. */
public enum Mode {
    ENFORCE,
    AUDIT;

    /** The name as written in config and on the command line. */
    public String label() {
        return name().toLowerCase();
    }
}
