package io.driftwarden.config;

import java.nio.file.Path;

/**
 * Where signed checkpoints of the audit chain go ({@code audit.checkpoints}): a JSON-lines file, kept apart from the
 * database, and the Ed25519 private key (PEM, PKCS#8) that signs them, by reference ({@code env:NAME} holding the PEM
 * text, or {@code file:PATH}, relative to the config's folder).
 */
public record CheckpointSettings(Path file, SecretRef signingKey, String origin) {
}
