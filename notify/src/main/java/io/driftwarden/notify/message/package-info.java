/**
 * The messages, as code (no user templates): {@link io.driftwarden.notify.message.Facts} says what each item shows —
 * the object, what was done, the drifted paths with who changed them and when, the health after, the exception, the
 * row's own text, the commit (a link where the forge is known) — and one class per service shapes it as that service
 * documents: a Slack incoming-webhook message ({@code text} + {@code blocks}), a Teams Adaptive Card message, the generic
 * webhook JSON (also the CloudEvents data), and a plain-text e-mail with an HTML alternative. Every text that came from
 * a row is escaped for the markup it lands in.
 */
package io.driftwarden.notify.message;
