package io.driftwarden.cron.cli;

import io.driftwarden.config.AuditSettings;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.cron.schedule.QuartzCron;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, default {@code ./driftwarden.yaml}. */
public final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: ./driftwarden.yaml).")
    Path config;

    /** The config, validated; a problem is a {@code ConfigException} (exit 64). */
    public DriftwardenConfig load() {
        return ConfigLoader.load(file(), QuartzCron.CHECK, Clocks.system());
    }

    /** The config's approved exceptions, or none when no config is given and none is in this folder. */
    public java.util.List<io.driftwarden.config.ExceptionSpec> exceptions() {
        if (config == null && !Files.exists(file())) {
            return java.util.List.of();
        }
        return load().exceptions().exceptions();
    }

    /** The audit store of the config, or the default store when no config is given and none is in this folder. */
    public AuditSettings auditSettings() {
        if (config == null && !Files.exists(file())) {
            return AuditSettings.defaults();
        }
        return load().audit();
    }

    /** Whether {@code --config} was given. */
    public boolean given() {
        return config != null;
    }

    /** The file {@code --config} names, or null. */
    public Path path() {
        return config;
    }

    private Path file() {
        return config != null ? config : Path.of("driftwarden.yaml");
    }
}
