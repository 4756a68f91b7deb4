/**
 * Getting a message to its target within a bound: {@link io.driftwarden.notify.delivery.HttpDelivery} posts with
 * {@code java.net.http.HttpClient}, {@link io.driftwarden.notify.delivery.MailDelivery} sends through SMTP with Jakarta
 * Mail (Eclipse Angus), both retrying by {@link io.driftwarden.notify.delivery.Retry} (exponential backoff on 5xx, 429,
 * timeouts and connection errors; never on another 4xx) until the target's deadline. A failure is told by the
 * target's name, the status or the exception's class — never an address or a secret, which may be in an exception's
 * message. {@link io.driftwarden.notify.delivery.Signature} signs a body as Flux's generic-hmac provider does.
 */
package io.driftwarden.notify.delivery;
