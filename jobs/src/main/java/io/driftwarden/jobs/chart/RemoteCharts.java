package io.driftwarden.jobs.chart;

import io.driftwarden.config.RemoteChart;
import io.driftwarden.config.SecretRef;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gets a binding's remote chart: from the cache when its pinned digest is there (no request at all), else from the chart
 * repository ({@code index.yaml}, then the {@code .tgz} it names) or the OCI registry (the manifest by tag, then the
 * chart layer), each checked against the pinned digest, the digest the repository states, and — with
 * {@code verify.keyring} — the signed provenance. Without a pinned digest the index or manifest is asked on every run
 * (it is what says which archive the version is); the archive itself still comes from the cache. Safe to share between
 * the bindings of a run and between runs.
 */
public final class RemoteCharts {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    static final String HELM_PROV_LAYER = "application/vnd.cncf.helm.chart.provenance.v1.prov";
    private static final long MAX_INDEX_BYTES = 64L << 20;
    private static final long MAX_MANIFEST_BYTES = 4L << 20;
    private static final long MAX_PROV_BYTES = 1L << 20;
    private static final long MAX_TOKEN_BYTES = 1L << 20;
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ChartCache cache;
    private final ChartArchive.Limits limits;

    /** Remote charts cached in {@code cacheRoot} (the {@code charts} folder beside the Git mirrors). */
    public RemoteCharts(Path cacheRoot) {
        this(new ChartCache(cacheRoot), ChartArchive.Limits.DEFAULTS);
    }

    public RemoteCharts(ChartCache cache, ChartArchive.Limits limits) {
        this.cache = cache;
        this.limits = limits;
    }

    public ChartArchive.Limits limits() {
        return limits;
    }

    /**
     * The chart {@code remote} names, verified and in the cache. A {@link ChartRefusedException} when it is not trusted
     * (digest, provenance, a URL or archive that breaks a rule); a {@link ChartException} when it cannot be had.
     */
    public ResolvedChart resolve(RemoteChart remote) {
        return remote.oci() ? fromRegistry(remote) : fromRepository(remote);
    }

    /**
     * Puts into the unpacked chart's {@code charts/} folder each dependency its {@code Chart.yaml} names from a repository
     * and that is not vendored there, as {@code helm dependency build} would: only against a {@code Chart.lock} in sync
     * with {@code Chart.yaml} ({@link ChartLock}), at the locked version, and only from the binding's own
     * {@code helm.repository} (with its credentials, digest checks and provenance) — a dependency naming any other
     * repository is refused, so a chart cannot make us fetch a URL of its choosing. Returns the dependencies added.
     */
    public List<ResolvedChart> vendorDependencies(Path chart, RemoteChart remote, String what) {
        Map<?, ?> metadata;
        try {
            metadata = ChartLock.yaml(java.nio.file.Files.readString(chart.resolve("Chart.yaml")), what + ": Chart.yaml");
        } catch (java.io.IOException e) {
            throw new ChartRefusedException(what + ": Chart.yaml cannot be read: " + e.getMessage());
        }
        List<?> required = metadata.get("dependencies") instanceof List<?> list ? list : null;
        List<String> missing = new ArrayList<>();
        for (Object item : required == null ? List.of() : required) {
            if (item instanceof Map<?, ?> dependency) {
                String repository = String.valueOf(dependency.get("repository") == null ? "" : dependency.get("repository"));
                String name = String.valueOf(dependency.get("name"));
                if (!repository.isEmpty() && !repository.startsWith("file://") && !vendored(chart, name)) {
                    missing.add(name);
                }
            }
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        Path lockFile = chart.resolve("Chart.lock");
        if (!java.nio.file.Files.isRegularFile(lockFile)) {
            throw new ChartRefusedException(what + ": dependencies " + missing + " are not in its charts/ folder and it has no Chart.lock "
                    + "to resolve them against (as helm dependency build refuses)");
        }
        List<ChartLock.Locked> locked;
        try {
            locked = ChartLock.check(required, java.nio.file.Files.readString(lockFile), what);
        } catch (java.io.IOException e) {
            throw new ChartRefusedException(what + ": Chart.lock cannot be read: " + e.getMessage());
        }
        List<ResolvedChart> added = new ArrayList<>();
        for (ChartLock.Locked dependency : locked) {
            if (!missing.contains(dependency.name())) {
                continue;
            }
            if (!sameRepository(dependency.repository(), remote.repository())) {
                throw new ChartRefusedException(what + ": dependency " + dependency.name() + " " + dependency.version() + " comes from "
                        + dependency.repository() + "; only the binding's helm.repository " + remote.repository() + " is contacted");
            }
            if (!RemoteChart.CHART_NAME.matcher(dependency.name()).matches() || RemoteChart.versionProblem(dependency.version()) != null) {
                throw new ChartRefusedException(what + ": Chart.lock names dependency '" + dependency.name() + "' at '" + dependency.version()
                        + "', not one chart name at an exact version");
            }
            ResolvedChart resolved = resolve(new RemoteChart(remote.repository(), dependency.name(), dependency.version(), null,
                    remote.keyring(), remote.username(), remote.password(), remote.token(), remote.caFile(), remote.timeout(),
                    remote.plainHttp(), remote.origin()));
            try {
                java.nio.file.Files.createDirectories(chart.resolve("charts"));
                java.nio.file.Files.copy(resolved.archive(), chart.resolve("charts").resolve(dependency.name() + "-" + dependency.version() + ".tgz"));
            } catch (java.io.IOException e) {
                throw new ChartException(what + ": cannot add dependency " + dependency.name() + ": " + e.getMessage(), e);
            }
            added.add(resolved);
        }
        return added;
    }

    /** Whether {@code charts/} holds the dependency: its folder or an archive named for it. */
    private static boolean vendored(Path chart, String name) {
        Path charts = chart.resolve("charts");
        if (java.nio.file.Files.isDirectory(charts.resolve(name))) {
            return true;
        }
        try (var files = java.nio.file.Files.list(charts)) {
            return files.map(f -> f.getFileName().toString()).anyMatch(f -> f.startsWith(name + "-") && f.endsWith(".tgz"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean sameRepository(String a, String b) {
        return a.replaceAll("/+$", "").equals(b.replaceAll("/+$", ""));
    }

    // ---- chart repositories (index.yaml)

    private ResolvedChart fromRepository(RemoteChart remote) {
        String what = remote.chart() + " " + remote.version() + " from " + remote.repository();
        String pinned = remote.digest() == null ? null : hex(remote.digest());
        if (pinned != null) {
            Optional<byte[]> cached = cache.content(pinned);
            Optional<byte[]> prov = cache.provenance(pinned);
            if (cached.isPresent() && (remote.keyring() == null || prov.isPresent())) {
                String signer = remote.keyring() == null ? null
                        : Provenance.verify(prov.get(), fileName(remote), pinned, remote.chart(), remote.version(), remote.keyring(), what);
                return resolved(remote, pinned, pinned, signer);
            }
        }
        ChartHttp http = new ChartHttp(remote, what);
        String authorization = authorization(remote);
        URI indexUri = http.base().resolve("index.yaml");
        ChartHttp.Response index = http.get(indexUri, null, authorization, MAX_INDEX_BYTES, false);
        failUnlessOk(index, remote, "index.yaml");
        Map<String, Object> entry = indexEntry(index.body(), remote, what);
        String indexDigest = entry.get("digest") instanceof String d && !d.isBlank() ? d.strip() : null;
        if (indexDigest != null && indexDigest.matches("[0-9a-f]{64}")) {
            indexDigest = "sha256:" + indexDigest; // Helm's index writes the bare hex
        }
        if (pinned != null && indexDigest != null && !indexDigest.equals("sha256:" + pinned)) {
            throw new ChartRefusedException(what + ": the repository's index.yaml gives digest " + indexDigest + ", not the pinned "
                    + remote.digest() + " (the chart was republished or the pin is wrong)");
        }
        URI archiveUri = archiveUri(entry, index.uri(), what);
        String expected = pinned != null ? pinned : indexDigest != null && indexDigest.startsWith("sha256:") ? hex(indexDigest) : null;
        byte[] archive = expected == null ? null : cache.content(expected).orElse(null);
        if (archive == null) {
            ChartHttp.Response fetched = http.get(archiveUri, null, authorization, limits.maxArchiveBytes(), false);
            failUnlessOk(fetched, remote, archiveUri.getPath());
            archive = fetched.body();
        }
        String actual = ChartCache.sha256(archive);
        if (pinned != null && !actual.equals(pinned)) {
            throw new ChartRefusedException(what + ": the archive's digest is sha256:" + actual + ", not the pinned " + remote.digest());
        }
        if (indexDigest != null && !indexDigest.equals("sha256:" + actual)) {
            throw new ChartRefusedException(what + ": the archive's digest is sha256:" + actual + ", not " + indexDigest
                    + " as the repository's index.yaml says");
        }
        String signer = null;
        if (remote.keyring() != null) {
            URI provUri = URI.create(archiveUri + ".prov");
            ChartHttp.Response prov = http.get(provUri, null, authorization, MAX_PROV_BYTES, false);
            if (prov.status() == 404) {
                throw new ChartRefusedException(what + ": helm.verify is set and the chart is not signed (no " + lastSegment(provUri) + ")");
            }
            failUnlessOk(prov, remote, lastSegment(provUri));
            signer = Provenance.verify(prov.body(), lastSegment(archiveUri), actual, remote.chart(), remote.version(), remote.keyring(), what);
            cache.putProvenance(actual, prov.body());
        }
        cache.putContent(archive);
        return resolved(remote, actual, actual, signer);
    }

    /** The chart's entry for the pinned version in {@code index.yaml}; unknown chart or version fails naming what is offered. */
    private static Map<String, Object> indexEntry(byte[] body, RemoteChart remote, String what) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit((int) MAX_INDEX_BYTES);
        options.setMaxAliasesForCollections(50);
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(options)).load(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new ChartException(what + ": the repository's index.yaml does not parse: " + e.getMessage());
        }
        Map<?, ?> entries = loaded instanceof Map<?, ?> root && root.get("entries") instanceof Map<?, ?> map ? map : Map.of();
        if (!(entries.get(remote.chart()) instanceof List<?> versions)) {
            List<String> names = entries.keySet().stream().map(String::valueOf).sorted().limit(20).toList();
            throw new ChartException(what + ": the repository offers no chart named " + remote.chart() + " (it offers "
                    + (names.isEmpty() ? "none" : String.join(", ", names) + (entries.size() > 20 ? ", …" : "")) + ")");
        }
        List<String> offered = new ArrayList<>();
        for (Object item : versions) {
            if (item instanceof Map<?, ?> version) {
                String text = String.valueOf(version.get("version"));
                if (text.equals(remote.version())) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    version.forEach((k, v) -> entry.put(String.valueOf(k), v));
                    return entry;
                }
                offered.add(text);
            }
        }
        throw new ChartException(what + ": the repository has no version " + remote.version() + " of " + remote.chart()
                + "; it offers " + offered(offered) + " (set helm.version to one of them)");
    }

    private static URI archiveUri(Map<String, Object> entry, URI index, String what) {
        if (!(entry.get("urls") instanceof List<?> urls) || urls.isEmpty()) {
            throw new ChartException(what + ": the repository's index.yaml names no URL for it");
        }
        URI uri = RepositoryPolicy.resolve(index, String.valueOf(urls.get(0)));
        if (uri == null) {
            throw new ChartRefusedException(what + ": the index names '" + urls.get(0) + "', which is not a URL");
        }
        return uri;
    }

    // ---- OCI registries (distribution spec)

    private ResolvedChart fromRegistry(RemoteChart remote) {
        String what = remote.chart() + " " + remote.version() + " from " + remote.repository();
        String pinned = remote.digest() == null ? null : hex(remote.digest());
        URI base = remote.base();
        String name = (base.getPath() == null ? "" : base.getPath().replaceAll("^/+|/+$", ""));
        name = name.isEmpty() ? remote.chart() : name + "/" + remote.chart();
        URI registry = URI.create(base.getScheme() + "://" + base.getRawAuthority() + "/");
        byte[] manifest = pinned == null ? null : cache.content(pinned).orElse(null);
        Registry session = new Registry(remote, what, name);
        if (manifest == null) {
            URI manifestUri = registry.resolve("v2/" + name + "/manifests/" + remote.version().replace('+', '_'));
            ChartHttp.Response response = session.get(manifestUri, OCI_MANIFEST, MAX_MANIFEST_BYTES, false);
            if (response.status() == 404) {
                throw new ChartException(what + ": the registry has no version " + remote.version() + " of " + name + "; it offers "
                        + offered(session.tags(registry)) + " (set helm.version to one of them)");
            }
            failUnlessOk(response, remote, "manifest " + remote.version());
            manifest = response.body();
        }
        String manifestHex = ChartCache.sha256(manifest);
        if (pinned != null && !manifestHex.equals(pinned)) {
            throw new ChartRefusedException(what + ": the manifest's digest is sha256:" + manifestHex + ", not the pinned " + remote.digest());
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(manifest);
        } catch (RuntimeException e) {
            throw new ChartException(what + ": the manifest is not JSON: " + e.getMessage());
        }
        JsonNode chartLayer = layer(parsed, HELM_CHART_LAYER);
        if (chartLayer == null) {
            throw new ChartException(what + ": the manifest has no layer of type " + HELM_CHART_LAYER + " (is it a Helm chart?)");
        }
        byte[] archive = session.blob(registry, chartLayer, limits.maxArchiveBytes());
        String archiveHex = hex(chartLayer.path("digest").asString(""));
        String signer = null;
        if (remote.keyring() != null) {
            JsonNode provLayer = layer(parsed, HELM_PROV_LAYER);
            if (provLayer == null) {
                throw new ChartRefusedException(what + ": helm.verify is set and the chart is not signed (its manifest has no "
                        + HELM_PROV_LAYER + " layer)");
            }
            byte[] prov = session.blob(registry, provLayer, MAX_PROV_BYTES);
            signer = Provenance.verify(prov, fileName(remote), archiveHex, remote.chart(), remote.version(), remote.keyring(), what);
        }
        cache.putContent(manifest);
        return resolved(remote, manifestHex, archiveHex, signer);
    }

    private static JsonNode layer(JsonNode manifest, String mediaType) {
        for (JsonNode layer : manifest.path("layers")) {
            if (mediaType.equals(layer.path("mediaType").asString(""))) {
                return layer;
            }
        }
        return null;
    }

    /** One registry conversation: the bearer token from the distribution spec's token exchange, once a 401 asked for it. */
    private final class Registry {
        private final RemoteChart remote;
        private final String what;
        private final String name;
        private final ChartHttp http;
        private String authorization;

        Registry(RemoteChart remote, String what, String name) {
            this.remote = remote;
            this.what = what;
            this.name = name;
            this.http = new ChartHttp(remote, what);
            this.authorization = remote.token() == null ? null : "Bearer " + remote.token().resolve();
        }

        ChartHttp.Response get(URI uri, String accept, long maxBytes, boolean blob) {
            ChartHttp.Response response = http.get(uri, accept, authorization, maxBytes, blob);
            if (response.status() == 401) {
                String challenge = response.header("WWW-Authenticate").orElse("");
                authorization = exchange(challenge);
                if (authorization != null) {
                    response = http.get(uri, accept, authorization, maxBytes, blob);
                }
            }
            return response;
        }

        /** The Authorization a 401's challenge asks for: Basic with the credentials, or Bearer with a token from its realm. */
        private String exchange(String challenge) {
            String basic = remote.username() == null ? null : basic(remote.username(), remote.password());
            if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
                return basic;
            }
            if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            Matcher m = CHALLENGE_PARAM.matcher(challenge);
            while (m.find()) {
                params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
            }
            String realm = params.get("realm");
            if (realm == null) {
                throw new ChartException(what + ": the registry asks for a bearer token but names no realm");
            }
            StringBuilder query = new StringBuilder();
            if (params.containsKey("service")) {
                query.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
            }
            String scope = params.getOrDefault("scope", "repository:" + name + ":pull");
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
            URI realmUri = RepositoryPolicy.resolve(http.base(), realm + (realm.contains("?") ? "&" : "?") + query);
            if (realmUri == null) {
                throw new ChartRefusedException(what + ": the registry's token realm '" + realm + "' is not a URL");
            }
            ChartHttp.Response token = tokenService(realmUri).get(realmUri, "application/json", basic, MAX_TOKEN_BYTES, false);
            if (token.status() != 200) {
                throw new ChartException(what + ": the registry's token service " + realmUri.getHost() + " answered " + token.status()
                        + (remote.username() == null ? " (set helm.auth.usernameFrom and passwordFrom)" : ": check the credentials "
                        + "helm.auth.usernameFrom (" + remote.username() + ") and passwordFrom (" + remote.password() + ") refer to"));
            }
            JsonNode body = JSON.readTree(token.body());
            String value = body.path("token").asString(body.path("access_token").asString(""));
            if (value.isEmpty()) {
                throw new ChartException(what + ": the registry's token service returned no token");
            }
            return "Bearer " + value;
        }

        /**
         * The client for the token realm: the registry's own, or — the distribution spec lets a registry name a token
         * service elsewhere (Docker Hub's auth.docker.io) — one bound to that https origin alone.
         */
        private ChartHttp tokenService(URI realm) {
            if (RepositoryPolicy.sameOrigin(http.base(), realm)) {
                return http;
            }
            if (!"https".equalsIgnoreCase(realm.getScheme())) {
                throw new ChartRefusedException(what + ": the registry names token realm " + realm.getScheme() + "://" + realm.getHost()
                        + ", neither the registry nor https: credentials are not sent there");
            }
            return new ChartHttp(new RemoteChart("https://" + realm.getRawAuthority() + "/", remote.chart(), remote.version(), null, null,
                    null, null, null, remote.caFile(), remote.timeout(), false, remote.origin()), what);
        }

        /** The blob a descriptor names, from the cache or the registry, checked against the descriptor's digest. */
        byte[] blob(URI registry, JsonNode descriptor, long maxBytes) {
            String digest = descriptor.path("digest").asString("");
            if (!digest.matches("sha256:[0-9a-f]{64}")) {
                throw new ChartRefusedException(what + ": the manifest names a layer digest '" + digest + "' that is not sha256");
            }
            if (descriptor.path("size").asLong(0) > maxBytes) {
                throw new ChartRefusedException(what + ": the manifest says the layer is " + descriptor.path("size").asLong(0)
                        + " bytes, more than the limit of " + maxBytes);
            }
            Optional<byte[]> cached = cache.content(hex(digest));
            if (cached.isPresent()) {
                return cached.get();
            }
            ChartHttp.Response response = get(registry.resolve("v2/" + name + "/blobs/" + digest), null, maxBytes, true);
            failUnlessOk(response, remote, "blob " + digest);
            String actual = ChartCache.sha256(response.body());
            if (!digest.equals("sha256:" + actual)) {
                throw new ChartRefusedException(what + ": the blob's digest is sha256:" + actual + ", not " + digest + " as the manifest says");
            }
            cache.putContent(response.body());
            return response.body();
        }

        /** The tags the registry offers for the chart (for the message of an unknown version); empty when it will not say. */
        List<String> tags(URI registry) {
            try {
                ChartHttp.Response response = get(registry.resolve("v2/" + name + "/tags/list"), "application/json", MAX_MANIFEST_BYTES, false);
                if (response.status() != 200) {
                    return List.of();
                }
                List<String> tags = new ArrayList<>();
                JSON.readTree(response.body()).path("tags").forEach(t -> tags.add(t.asString("").replace('_', '+')));
                return tags;
            } catch (RuntimeException e) {
                return List.of();
            }
        }
    }

    // ---- shared

    private ResolvedChart resolved(RemoteChart remote, String digestHex, String archiveHex, String signer) {
        return new ResolvedChart(remote.reference(), remote.chart(), remote.version(), "sha256:" + digestHex,
                cache.contentPath(archiveHex), signer);
    }

    private static void failUnlessOk(ChartHttp.Response response, RemoteChart remote, String what) {
        if (response.status() == 200) {
            return;
        }
        String hint = switch (response.status()) {
            case 401, 403 -> remote.username() == null && remote.token() == null ? ": set helm.auth (usernameFrom and passwordFrom, or tokenFrom)"
                    : ": check the credentials helm.auth refers to (" + (remote.token() != null ? "tokenFrom " + remote.token()
                    : "usernameFrom " + remote.username() + ", passwordFrom " + remote.password()) + ")";
            case 404 -> ": not found";
            default -> "";
        };
        throw new ChartException(remote.chart() + " " + remote.version() + " from " + remote.repository() + ": " + what + " answered "
                + response.status() + hint);
    }

    private static String authorization(RemoteChart remote) {
        if (remote.token() != null) {
            return "Bearer " + remote.token().resolve();
        }
        return remote.username() == null ? null : basic(remote.username(), remote.password());
    }

    private static String basic(SecretRef username, SecretRef password) {
        String pair = username.resolve() + ":" + (password == null ? "" : password.resolve());
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String offered(List<String> versions) {
        if (versions.isEmpty()) {
            return "no versions";
        }
        List<String> sorted = versions.stream().distinct().sorted(Comparator.reverseOrder()).toList();
        return String.join(", ", sorted.subList(0, Math.min(20, sorted.size()))) + (sorted.size() > 20 ? ", … (" + sorted.size() + " in all)" : "");
    }

    private static String fileName(RemoteChart remote) {
        return remote.chart() + "-" + remote.version() + ".tgz";
    }

    private static String lastSegment(URI uri) {
        String path = uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String hex(String digest) {
        return digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
    }
}
