/**
 * YAML read with positions: SnakeYAML's node tree turned into Jackson trees that remember the line of every
 * document, so that config and manifest errors can say {@code file:line: what is wrong}. Duplicate keys and
 * syntax errors are reported with their position instead of being silently resolved.
 */
package io.driftwarden.config.yaml;
