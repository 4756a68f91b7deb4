package io.driftwarden.config;

/**
 * How much of a repository driftwarden reads before refusing it (README, "Input limits"): the bytes of one manifest
 * file and of all manifest files under a binding's path (both checked before anything is parsed), and how deep a
 * YAML document may nest and how many aliases it may use (a "billion laughs" document is refused).
 */
public record InputLimits(long maxFileBytes, long maxBindingBytes, int yamlMaxDepth, int yamlMaxAliases) {

    /** 4 MiB per file, 64 MiB per binding, 200 levels (real custom resources go past snakeyaml's 50), 50 aliases. */
    public static final InputLimits DEFAULTS = new InputLimits(4L << 20, 64L << 20, 200, 50);
}
