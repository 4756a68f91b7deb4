/**
 * The picocli commands of the CLI contract (DESIGN.md, "CLI"): {@code run}, {@code plan}, {@code report},
 * {@code validate}, {@code render}, {@code sandbox}, {@code version}, {@code completion}. {@code --format} (short {@code -o},
 * as in kubectl) chooses what is printed; {@code --output} only where it goes.
 */
package io.driftwarden.cron.cli;
