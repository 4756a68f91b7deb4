/**
 * The picocli commands of the CLI contract (DESIGN.md, "CLI"): {@code run}, {@code plan}, {@code report},
 * {@code validate}, {@code sandbox}. {@code --format} chooses what is printed; {@code --output} only where it goes.
 */
package io.driftwarden.cron.cli;
