/**
 * Desired state from Git. Each repository URL has a bare mirror in a cache directory that is fetched once per
 * run (HTTPS with a token or password and an optional CA, SSH with a key and known_hosts); a ref (branch, tag or
 * full SHA) resolves to a commit, and manifests are read from that commit's tree with a {@code TreeWalk} — never
 * from a working-tree checkout — within the input limits. Paths never leave the repository: symlinks are refused.
 * A commit is trusted by its OpenPGP signature against a configured keyring, and by descending from the last one
 * enforced.
 */
package io.driftwarden.jobs.source;
