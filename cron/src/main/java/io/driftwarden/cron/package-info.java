/**
 * The runnable app: {@link io.driftwarden.cron.Main} is the {@code driftwarden} command. Config is validated
 * before any Spring context starts, so an invalid config always exits 64.
 */
package io.driftwarden.cron;
