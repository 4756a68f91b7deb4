package io.driftwarden.cron;

import io.driftwarden.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The CLI run in this JVM ({@link Main#execute}), for stories that need no process of their own. */
final class InProcess {

    private InProcess() {
    }

    /** How one command exited and what it printed. */
    record Outcome(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /**
     * What each in-process story needs around it: a sandbox (with these namespaces) and a {@code user.home} of its own
     * (the Git mirror cache goes there), both gone after the test. Register it with {@code @RegisterExtension}.
     */
    static final class Stage implements BeforeEachCallback, AfterEachCallback {
        private final String[] namespaces;
        private Sandbox sandbox;
        private Path home;
        private String previousHome;

        Stage(String... namespaces) {
            this.namespaces = namespaces;
        }

        Sandbox sandbox() {
            return sandbox;
        }

        @Override
        public void beforeEach(ExtensionContext context) throws IOException {
            home = Files.createTempDirectory("driftwarden-home-");
            previousHome = System.getProperty("user.home");
            System.setProperty("user.home", home.toString());
            sandbox = Sandbox.start(0).createNamespaces(namespaces);
        }

        @Override
        public void afterEach(ExtensionContext context) throws IOException {
            sandbox.close();
            System.setProperty("user.home", previousHome);
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    static Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(exit, out.toString(), err.toString());
    }
}
