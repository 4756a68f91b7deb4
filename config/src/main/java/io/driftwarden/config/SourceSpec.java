package io.driftwarden.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A Git repository to read desired state from, at a ref (branch, tag or full commit SHA). {@code timeout} bounds
 * each fetch's connection and reads. {@code keyring} (an armored OpenPGP public keyring), when set, means the
 * resolved commit must carry a valid signature from one of its keys. {@code refuseForcePush}: a commit that does not
 * descend from the last one enforced is refused (it is always recorded). {@code origin} is its {@code file:line}.
 */
public record SourceSpec(String name, String url, String ref, GitAuth auth, Duration timeout, Path keyring, boolean refuseForcePush,
                         String origin) {

    /** How long a fetch may wait on the server unless the config says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** A source with no credentials and no signature check, declared outside a config file (tests, the demo). */
    public SourceSpec(String name, String url, String ref) {
        this(name, url, ref, GitAuth.NONE, DEFAULT_TIMEOUT, null, false, name);
    }
}
