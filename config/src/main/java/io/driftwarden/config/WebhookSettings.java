package io.driftwarden.config;

/**
 * The daemon's push endpoint: the secret of each provider it accepts (null: that provider's endpoint refuses every
 * request) — GitHub's {@code X-Hub-Signature-256} HMAC, GitLab's {@code X-Gitlab-Token}, and a generic HMAC — and the
 * largest body read.
 */
public record WebhookSettings(SecretRef githubSecret, SecretRef gitlabToken, SecretRef hmacSecret, long maxBodyBytes) {

    public static final WebhookSettings NONE = new WebhookSettings(null, null, null, 1L << 20);
}
