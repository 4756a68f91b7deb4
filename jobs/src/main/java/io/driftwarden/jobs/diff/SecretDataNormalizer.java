package io.driftwarden.jobs.diff;

import io.driftwarden.jobs.resource.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Secret's {@code stringData} is write-only: the API server folds it into {@code data} (base64) and never returns
 * it. Folding it the same way before comparing keeps a Secret written with {@code stringData} from drifting forever.
 */
final class SecretDataNormalizer implements Normalizer {

    @Override
    public JsonNode normalize(ResourceKey key, JsonNode object) {
        if (!SecretMasker.isSecret(key) || !(object instanceof ObjectNode secret) || !secret.path("stringData").isObject()) {
            return object;
        }
        ObjectNode data = secret.path("data").isObject() ? (ObjectNode) secret.get("data") : secret.putObject("data");
        for (Map.Entry<String, JsonNode> entry : secret.get("stringData").properties()) {
            data.put(entry.getKey(), Base64.getEncoder().encodeToString(entry.getValue().asString("").getBytes(StandardCharsets.UTF_8)));
        }
        secret.remove("stringData");
        return secret;
    }
}
