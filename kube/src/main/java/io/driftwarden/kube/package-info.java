/**
 * Kubernetes' type semantics, as data: for each kind, which fields are structs, maps or lists, how a list is
 * merged (a map keyed by one or more fields, a set, or atomic), which values are quantities or int-or-string, and
 * which fields are pointers (a pointer keeps an explicit zero; a plain field cannot tell zero from absent). Built-in
 * kinds come from Kubernetes' Go types (bundled {@code k8s-go-types.json}), custom kinds from their CRD's
 * {@code openAPIV3Schema}; anything else is {@link io.driftwarden.kube.FieldType.Untyped untyped}. Also
 * here: paths into objects ({@link io.driftwarden.kube.FieldPath}), field sets as
 * {@code managedFields} records them ({@link io.driftwarden.kube.FieldTree}), server-side apply's merge,
 * strategic merge patch ({@link io.driftwarden.kube.StrategicMerge}), the fields a kind does not declare
 * ({@link io.driftwarden.kube.UnknownFields}), and OpenAPI v3 schemas written from the Go types
 * ({@link io.driftwarden.kube.OpenApiDocuments}).
 */
package io.driftwarden.kube;
