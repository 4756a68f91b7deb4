package io.driftwarden.cron.cli;

import io.driftwarden.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code driftwarden sandbox}: the in-memory API server in the foreground, until interrupted. */
@Command(name = "sandbox", description = "Run the in-memory Kubernetes API sandbox on 127.0.0.1 (plain HTTP) until stopped.",
        mixinStandardHelpOptions = true)
public class SandboxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Port on 127.0.0.1 (default: 8001; 0 picks a free one).")
    int port = 8001;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Where to write a kubeconfig for it (default: ./sandbox.kubeconfig).")
    Path kubeconfig = Path.of("sandbox.kubeconfig");

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (Sandbox sandbox = Sandbox.start(port)) {
            sandbox.writeKubeconfig(kubeconfig);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            var out = spec.commandLine().getOut();
            out.println("sandbox API server on " + sandbox.url());
            out.println("kubeconfig written to " + kubeconfig.toAbsolutePath());
            out.println("kubectl works against it: export KUBECONFIG=" + kubeconfig.toAbsolutePath() + " (no defaults, admission or controllers); stop it with Ctrl-C");
            out.flush();
            stopped.await();
        }
        return 0;
    }
}
