/**
 * Desired state from Git. Each repository URL has a bare mirror in a cache directory that is fetched once per
 * run; a ref (branch, tag or full SHA) resolves to a commit, and manifests are read from that commit's tree with
 * a {@code TreeWalk} — never from a working-tree checkout. Paths never leave the repository: symlinks are refused.
 */
package io.driftwarden.jobs.source;
