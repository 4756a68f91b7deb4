/**
 * Kubernetes RBAC's decision as pure functions, for tests that check generated RBAC against what a run sent: an HTTP
 * request becomes the authorizer's attributes as the API server's {@code RequestInfoFactory} makes them
 * ({@link Attributes#of}), and {@link Authorizer} says whether the rules bound to a subject allow them, as the RBAC
 * authorizer does. The sandbox itself authorizes nothing: every request it answers is allowed.
 */
package io.driftwarden.sandbox.rbac;
