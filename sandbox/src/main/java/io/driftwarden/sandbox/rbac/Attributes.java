package io.driftwarden.sandbox.rbac;

import io.driftwarden.sandbox.SandboxRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the API server authorizes one request as: a resource request's verb, API group, resource, subresource,
 * namespace and name, or a non-resource request's verb and path ({@code resource} null).
 *
 * <p>Source: k8s.io/apiserver/pkg/endpoints/request/requestinfo.go ({@code RequestInfoFactory.NewRequestInfo}): POST →
 * create, GET and HEAD → get (list without a name, watch with {@code watch=true} or under {@code /watch/}), PUT →
 * update, PATCH → patch, DELETE → delete (deletecollection without a name); {@code /namespaces/NS/...} sets the
 * namespace, and a request for a Namespace itself ({@code /api/v1/namespaces/NAME}) has the namespace NAME;
 * {@code status} and {@code finalize} are a Namespace's subresources. A dry run ({@code dryRun=All}) is authorized
 * exactly like the write it simulates. A server-side apply is a PATCH that may create the object, and then it is also
 * authorized as create (k8s.io/apiserver/pkg/endpoints/handlers/patch.go, {@code createAuthorizerAttributes}): whether
 * the object existed is not in the request log, so {@link #of} asks for both.
 */
public record Attributes(String verb, String apiGroup, String resource, String subresource, String namespace, String name, String path) {

    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /** A resource request. */
    public static Attributes resource(String verb, String apiGroup, String resource, String subresource, String namespace, String name) {
        return new Attributes(verb, apiGroup, resource, subresource, namespace, name, null);
    }

    /** A non-resource request (discovery, {@code /version}, {@code /openapi/v3}). */
    public static Attributes nonResource(String verb, String path) {
        return new Attributes(verb, "", null, "", "", "", path);
    }

    public boolean isResourceRequest() {
        return resource != null;
    }

    /** {@code verb group/resource[/subresource] [namespace] [name]}, for messages. */
    @Override
    public String toString() {
        if (!isResourceRequest()) {
            return verb + " " + path;
        }
        return verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource + (subresource.isEmpty() ? "" : "/" + subresource)
                + (namespace.isEmpty() ? "" : " in " + namespace) + (name.isEmpty() ? "" : " named " + name);
    }

    /** What {@code request} is authorized as: one set of attributes, two for a server-side apply (patch and create). */
    public static List<Attributes> of(SandboxRequest request) {
        String fullPath = request.path();
        int question = fullPath.indexOf('?');
        String path = question < 0 ? fullPath : fullPath.substring(0, question);
        String query = question < 0 ? "" : fullPath.substring(question + 1);
        String method = request.method().toUpperCase(Locale.ROOT);
        List<String> parts = new ArrayList<>(Arrays.asList(path.replaceAll("^/+|/+$", "").split("/")));
        String httpVerb = switch (method) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(Locale.ROOT);
        };
        // /api/v1/... is the core group; /apis/GROUP/VERSION/... a named group; anything else is a non-resource URL
        int prefix;
        String group;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            prefix = 2;
            group = "";
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            prefix = 3;
            group = parts.get(1);
        } else {
            return List.of(nonResource(httpVerb, path.isEmpty() ? "/" : path));
        }
        List<String> rest = parts.subList(prefix, parts.size());
        if (rest.isEmpty()) {
            return List.of(nonResource(httpVerb, path)); // /api/v1, /apis/apps/v1: discovery
        }
        boolean watch = false;
        if (rest.get(0).equals("watch")) {
            watch = true;
            rest = rest.subList(1, rest.size());
        }
        String namespace = "";
        if (rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = rest.subList(2, rest.size());
            }
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        String subresource = rest.size() > 2 ? rest.get(2) : "";
        String verb = httpVerb;
        if (name.isEmpty() && verb.equals("get")) {
            verb = "list";
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        if (watch || (verb.equals("list") && List.of(query.split("&")).contains("watch=true"))) {
            verb = "watch";
        }
        Attributes attributes = resource(verb, group, resource, subresource, namespace, name);
        if (verb.equals("patch") && String.valueOf(request.contentType()).startsWith("application/apply-patch")) {
            return List.of(attributes, resource("create", group, resource, subresource, namespace, name));
        }
        return List.of(attributes);
    }
}
