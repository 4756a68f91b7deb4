/**
 * Desired state from Git: bare mirrors fetched with JGit (HTTPS with a token or password and an optional CA, SSH
 * with a key and known_hosts), the tree read at the resolved commit within the input limits, and the commit's
 * trust — its OpenPGP signature against a configured keyring, and whether it descends from the last one enforced.
 */
package io.driftwarden.jobs.source;
