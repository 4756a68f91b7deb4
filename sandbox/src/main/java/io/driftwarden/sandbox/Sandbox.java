package io.driftwarden.sandbox;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * An in-memory Kubernetes API server on 127.0.0.1 over plain HTTP (see the package doc for what it does not
 * emulate). Start it, point a kubeconfig at it ({@link #writeKubeconfig}), and close it when done.
 */
public final class Sandbox implements AutoCloseable {

    /**
     * The mock web server logs every start at INFO through java.util.logging; quieted to keep the console for our
     * output. Held in a field: java.util.logging keeps loggers only weakly, and a collected one forgets its level.
     */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final SandboxDispatcher dispatcher;

    private Sandbox(KubernetesMockServer server, SandboxDispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    /** Starts on 127.0.0.1; port 0 picks a free one. */
    public static Sandbox start(int port) {
        return start(port, true);
    }

    /**
     * Starts without Kubernetes' defaults ({@link Defaults}; list keys such as {@code protocol: TCP} are still filled in):
     * the structured-merge-diff oracle models no defaulting, so field ownership alone is compared against it this way.
     */
    public static Sandbox startWithoutDefaults(int port) {
        return start(port, false);
    }

    private static Sandbox start(int port, boolean defaults) {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        SandboxDispatcher dispatcher = new SandboxDispatcher(defaults);
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        dispatcher.createSystemNamespaces();
        return new Sandbox(server, dispatcher);
    }

    /**
     * Creates these Namespaces, as a cluster admin does before handing them to teams (an object can only be created in
     * a namespace that exists). Returns this sandbox.
     */
    public Sandbox createNamespaces(String... names) {
        try (KubernetesClient client = client()) {
            for (String name : names) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
            }
        }
        return this;
    }

    /** {@code http://127.0.0.1:PORT} */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** A client for tests and the demo to act as "a person with kubectl" would. */
    public KubernetesClient client() {
        return server.createClient();
    }

    /** A kubeconfig (context {@code sandbox}, namespace {@code default}) that any client, or curl's URL, can use. */
    public String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sandbox
                  cluster:
                    server: %s
                users:
                - name: sandbox
                  user:
                    token: sandbox
                contexts:
                - name: sandbox
                  context:
                    cluster: sandbox
                    user: sandbox
                    namespace: default
                current-context: sandbox
                """.formatted(url());
    }

    public Path writeKubeconfig(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.writeString(file, kubeconfig());
    }

    /** Every request answered so far, in order. */
    public List<SandboxRequest> requests() {
        return List.copyOf(dispatcher.requests());
    }

    public void clearRequests() {
        dispatcher.clearRequests();
    }

    /**
     * Holds every request from now on unanswered until {@link #releaseAnswers}: a cluster that answers slowly, for as long
     * as a test needs, without a clock. The requests are still received and logged.
     */
    public void holdAnswers() {
        dispatcher.hold();
    }

    /** Answers every held request, and later ones at once. */
    public void releaseAnswers() {
        dispatcher.release();
    }

    /** Requests being held unanswered now. */
    public int heldRequests() {
        return dispatcher.held();
    }

    /** Adds {@code latency} before each answer: a benchmark's stand-in for a round trip to a real API server. */
    public void latency(java.time.Duration latency) {
        dispatcher.latency(latency);
    }

    /** Runs {@code hook} before each write is processed (tests use it to check the audit intent row is durable). */
    public void beforeWrite(Consumer<SandboxRequest> hook) {
        dispatcher.beforeWrite(hook);
    }

    /**
     * How long after a write the sandbox's controllers write the object's status (a Deployment rolled out, a Job
     * complete, a claim bound — {@link StatusControllers}); default one second. Tests set it short; returns this sandbox.
     */
    public Sandbox statusDelay(java.time.Duration delay) {
        dispatcher.statusDelay(delay);
        return this;
    }

    /** The annotation that makes the sandbox's controllers fail an object the way a real one fails. */
    public static final String FAIL_ANNOTATION = StatusControllers.FAIL;

    @Override
    public void close() {
        dispatcher.release();
        dispatcher.stopControllers();
        server.destroy();
    }
}
