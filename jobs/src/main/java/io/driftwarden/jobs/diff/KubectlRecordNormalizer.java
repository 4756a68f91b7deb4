package io.driftwarden.jobs.diff;

import io.driftwarden.jobs.resource.ResourceKey;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client-side {@code kubectl apply} keeps its own record of what it last applied in the annotation
 * {@code kubectl.kubernetes.io/last-applied-configuration} (kubectl's three-way merge reads it; the server never does).
 * It describes a past apply, not desired state, so it is never compared: an object adopted from client-side
 * {@code kubectl apply} is not drifted by it, and driftwarden does not remove it (Argo CD leaves it alone too).
 */
final class KubectlRecordNormalizer implements Normalizer {

    /** The annotation client-side {@code kubectl apply} writes (k8s.io/kubectl {@code corev1.LastAppliedConfigAnnotation}). */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    @Override
    public JsonNode normalize(ResourceKey key, JsonNode object) {
        if (object.path("metadata").path("annotations") instanceof ObjectNode annotations) {
            annotations.remove(LAST_APPLIED);
        }
        return object;
    }
}
