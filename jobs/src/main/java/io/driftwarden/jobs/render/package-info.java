/**
 * Rendering: manifest files become {@link io.driftwarden.jobs.resource.DesiredObject}s, each with its
 * {@code file:line}. Plain YAML/JSON, multi-document. Every problem in a binding's files is collected and the
 * binding fails as a whole: nothing from a binding that did not render is applied. Kustomize is not supported yet
 * and a {@code kustomization.yaml} is refused rather than applied as a plain manifest.
 */
package io.driftwarden.jobs.render;
