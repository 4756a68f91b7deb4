/**
 * Approved exceptions in the pipeline: {@link io.driftwarden.jobs.exceptions.ExceptionMatcher} decides, as a pure
 * function, whether an exception from the platform's config covers a drift (every drifted path, active at the run's
 * instant, never a tenancy refusal, a missing object or a prune); {@link io.driftwarden.jobs.exceptions.Exceptions} is
 * the pipeline step that records {@code EXCEPTED} and {@code EXPIRED} rows and keeps covered drift from being corrected.
 */
package io.driftwarden.jobs.exceptions;
