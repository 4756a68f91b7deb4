package io.driftwarden.config;

/**
 * How evidence bundles are signed ({@code evidence:}): the Ed25519 private key (PEM, PKCS#8) that signs a bundle's
 * {@code manifest.json}, by reference ({@code env:NAME} holding the PEM text, or {@code file:PATH}, relative to the
 * config's folder). {@code origin} is where the key is named ({@code file:line}). {@link #NONE}: not configured.
 */
public record EvidenceSettings(SecretRef signingKey, String origin) {

    /** No {@code evidence:} section: {@code driftwarden evidence} refuses to run, naming the key to set. */
    public static final EvidenceSettings NONE = new EvidenceSettings(null, null);
}
