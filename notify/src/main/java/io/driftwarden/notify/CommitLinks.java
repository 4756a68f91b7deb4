package io.driftwarden.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A link to a commit on the forge that hosts a source, when its URL says which: an {@code https://} repository URL with
 * no credentials, query or fragment becomes {@code …/-/commit/SHA} on a GitLab host, {@code …/commits/SHA} on
 * Bitbucket Cloud, and {@code …/commit/SHA} elsewhere (GitHub, Gitea, Forgejo); any other source (file, SSH, plain
 * http) gets no link, and messages show the SHA.
 */
public final class CommitLinks {

    private CommitLinks() {
    }

    /** The link, or null when none can be made. */
    public static String link(String sourceUrl, String commit) {
        if (sourceUrl == null || commit == null || !commit.matches("[0-9a-f]{7,64}")) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(sourceUrl);
        } catch (URISyntaxException e) {
            return null;
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawPath() == null) {
            return null;
        }
        String path = uri.getRawPath().replaceAll("/+$", "");
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        if (path.split("/").length < 3 || !path.matches("[A-Za-z0-9._~/%-]+")) {
            return null; // not owner/repository: no page to link to
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String base = "https://" + uri.getRawAuthority() + path;
        if (host.contains("gitlab")) {
            return base + "/-/commit/" + commit;
        }
        if (host.equals("bitbucket.org")) {
            return base + "/commits/" + commit;
        }
        return base + "/commit/" + commit;
    }
}
