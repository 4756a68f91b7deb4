package io.driftwarden.cron.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code driftwarden completion bash|zsh}: the shell completion script picocli's {@link AutoComplete} generates from the
 * commands themselves. zsh loads the same script through its bash-completion compatibility (bashcompinit), which the
 * script enables itself, as picocli documents.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script. bash: source <(driftwarden completion bash) in ~/.bashrc; "
                + "zsh: source <(driftwarden completion zsh) in ~/.zshrc (it loads bashcompinit itself).")
public class CompletionCommand implements Callable<Integer> {

    /** The shells the script serves. */
    public enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (shell == Shell.zsh) {
            out.println("# driftwarden completion for zsh: bash's script, run through zsh's bashcompinit");
        }
        out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
