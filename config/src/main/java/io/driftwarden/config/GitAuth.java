package io.driftwarden.config;

import java.nio.file.Path;

/**
 * How to authenticate to a Git server, every secret by reference: HTTPS basic auth ({@code username} and
 * {@code password}) or a token (sent as the basic-auth password, as GitHub, GitLab and Bitbucket accept it), with
 * {@code caFile} to trust a private CA instead of the JVM's; SSH with a private key file and the server's key in
 * {@code knownHosts} (an unknown host key is refused). All null: no credentials.
 */
public record GitAuth(String username, SecretRef password, SecretRef token, Path caFile, Path sshKey, Path knownHosts) {

    public static final GitAuth NONE = new GitAuth(null, null, null, null, null, null);

    /** The secret of HTTPS auth, whichever of token or password is set; null when there is none. */
    public SecretRef secret() {
        return token != null ? token : password;
    }

    /** The basic-auth user: the one configured, else {@code git} for a token. */
    public String user() {
        return username != null ? username : "git";
    }
}
