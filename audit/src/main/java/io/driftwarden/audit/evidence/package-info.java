/**
 * Evidence bundles: the files an auditor takes away for a period (reports, the chain's verification, the signed
 * checkpoints, the configuration with secrets as references) sealed by a {@code manifest.json} that lists the SHA-256
 * of every file and is signed with Ed25519, and the offline check of such a folder against the public key.
 */
package io.driftwarden.audit.evidence;
