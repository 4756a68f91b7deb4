package io.driftwarden.cron;

import java.io.PrintWriter;
import java.io.StringWriter;

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

    static Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(exit, out.toString(), err.toString());
    }
}
