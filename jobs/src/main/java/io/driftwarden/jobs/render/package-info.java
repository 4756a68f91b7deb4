/**
 * Rendering: a binding's path becomes {@link io.driftwarden.jobs.resource.DesiredObject}s, each with its
 * {@code file:line}. Plain YAML/JSON (multi-document, parsed files kept by Git blob id in {@link
 * io.driftwarden.jobs.render.ParsedCache}), a kustomization through kustomize, a chart through {@code helm template}.
 * Every problem in a binding's files is collected and the binding fails as a whole: nothing from a binding that did
 * not render is applied.
 */
package io.driftwarden.jobs.render;
