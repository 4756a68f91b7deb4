package io.driftwarden.kube;

import io.driftwarden.kube.FieldType.Struct;
import java.util.List;

/**
 * A kind Kubernetes' API serves, as its Go types declare it: its apiVersion, scope, client markers
 * ({@code +genclient:nonNamespaced}, {@code +genclient:onlyVerbs=create}, {@code subresource=scale} …) and type.
 */
public record ServedKind(String apiVersion, String kind, boolean namespaced, List<String> markers, Struct type) {

    public ServedKind {
        markers = List.copyOf(markers);
    }

    /** The group ({@code ""} for the core group). */
    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** The version ({@code v1}). */
    public String version() {
        return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }
}
