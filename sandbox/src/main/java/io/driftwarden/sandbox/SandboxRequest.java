package io.driftwarden.sandbox;

import java.util.List;

/** One request the sandbox answered: its verb, its path (with query) and its content type. */
public record SandboxRequest(String method, String path, String contentType) {

    /** A GET of a collection (no object name), which is how a LIST reaches the API server. */
    public boolean isList() {
        return method.equals("GET") && !path.contains("watch=true") && resourceSegments().size() % 2 == 1;
    }

    /** A GET of one named object. */
    public boolean isGet() {
        return method.equals("GET") && !isList();
    }

    /** Anything that changes state. */
    public boolean isWrite() {
        return !method.equals("GET");
    }

    /**
     * The segments after the group/version: {@code [plural]}, {@code [plural, name]},
     * {@code [namespaces, ns, plural]} or {@code [namespaces, ns, plural, name]} (an odd count is a collection).
     */
    private List<String> resourceSegments() {
        String clean = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        List<String> segments = List.of(clean.replaceAll("^/+", "").split("/"));
        int skip = segments.isEmpty() ? 0 : segments.get(0).equals("api") ? 2 : 3;
        return segments.size() <= skip ? List.of() : segments.subList(skip, segments.size());
    }
}
