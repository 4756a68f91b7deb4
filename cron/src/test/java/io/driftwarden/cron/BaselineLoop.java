package io.driftwarden.cron;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The per-object baseline of the benchmark as a process of its own, the simplest thing a user could write instead of
 * driftwarden: for each object GET it, and merge-PATCH Git's object when the live one does not hold every field Git
 * sets (or create it when missing). One HTTP/1.1 client, one request at a time, so one keep-alive connection.
 * Arguments: the API server's URL and a file of JSON lines {@code {"path": "/api/v1/namespaces/ns-0/configmaps", "object": {...}}}
 * (the collection path, so no discovery). Prints {@code wall_ms gets patches creates}. Not a test.
 */
public final class BaselineLoop {

    private BaselineLoop() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        String server = args[0];
        ObjectMapper json = JsonMapper.builder().build();
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        int gets = 0;
        int patches = 0;
        int creates = 0;
        for (String line : lines) {
            JsonNode entry = json.readTree(line);
            String collection = entry.path("path").asString();
            JsonNode desired = entry.path("object");
            String name = desired.at("/metadata/name").asString();
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(server + collection + "/" + name)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            gets++;
            if (live.statusCode() == 404) {
                send(http, HttpRequest.newBuilder(URI.create(server + collection)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(desired))).build());
                creates++;
            } else if (!Benchmark.contains(json.readTree(live.body()), desired)) {
                send(http, HttpRequest.newBuilder(URI.create(server + collection + "/" + name)).header("Content-Type", "application/merge-patch+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(desired))).build());
                patches++;
            }
        }
        System.out.printf("%d %d %d %d%n", (System.nanoTime() - start) / 1_000_000, gets, patches, creates);
    }

    private static void send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": HTTP " + answer.statusCode() + " " + answer.body());
        }
    }
}
