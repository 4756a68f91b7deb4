package io.driftwarden.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwarden.config.InputLimits;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The documented parsing limits: deep real documents pass, alias bombs do not. */
class YamlDocumentsTest {

    @Test
    void aDocumentSixtyLevelsDeepParses() {
        StringBuilder yaml = new StringBuilder();
        for (int depth = 0; depth < 60; depth++) {
            yaml.append("  ".repeat(depth)).append("level").append(depth).append(":\n");
        }
        yaml.append("  ".repeat(60)).append("leaf: true\n");

        assertThat(YamlDocuments.parseAll(yaml.toString(), "deep.yaml")).hasSize(1);
    }

    @Test
    void theNestingAndAliasLimitsAreTheConfigs() {
        StringBuilder deep = new StringBuilder();
        for (int depth = 0; depth < 60; depth++) {
            deep.append("  ".repeat(depth)).append("level").append(depth).append(":\n");
        }
        deep.append("  ".repeat(60)).append("leaf: true\n");
        assertThatThrownBy(() -> YamlDocuments.parseAll(deep.toString(), "deep.yaml", new InputLimits(1024, 1024, 40, 50)))
                .isInstanceOf(YamlException.class).hasMessageStartingWith("deep.yaml:").hasMessageContaining("40");

        String aliases = "a: &a [x]\nb: [*a, *a, *a]\n";
        assertThat(YamlDocuments.parseAll(aliases, "aliases.yaml", new InputLimits(1024, 1024, 200, 3))).hasSize(1);
        assertThatThrownBy(() -> YamlDocuments.parseAll(aliases, "aliases.yaml", new InputLimits(1024, 1024, 200, 2)))
                .isInstanceOf(YamlException.class).hasMessageStartingWith("aliases.yaml:");
    }

    @Test
    void anAliasBombIsRefusedWithItsFile() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char name = 'b'; name <= 'j'; name++) {
            char previous = (char) (name - 1);
            yaml.append(name).append(": &").append(name).append(" [");
            yaml.append(String.join(", ", Collections.nCopies(10, "*" + previous))).append("]\n");
        }

        assertThatThrownBy(() -> YamlDocuments.parseAll(yaml.toString(), "bomb.yaml")).isInstanceOf(YamlException.class)
                .hasMessageStartingWith("bomb.yaml:");
    }
}
