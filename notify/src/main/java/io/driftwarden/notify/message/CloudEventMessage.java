package io.driftwarden.notify.message;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.driftwarden.notify.Digest;
import io.driftwarden.notify.Item;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import tools.jackson.databind.json.JsonMapper;

/**
 * A digest as a CloudEvents 1.0 event, built with the CloudEvents Java SDK: {@code id} the digest's id (unique per
 * run, target and message), {@code source} {@code /driftwarden}, {@code type} {@code io.driftwarden.run.digest} for a run
 * digest or {@code io.driftwarden.object.EVENT} for one item ({@code EVENT} its most serious event: failed, refused,
 * health, prune, corrected, drift), {@code subject} the run id or the item's object, {@code time}, and as data the
 * webhook JSON ({@link WebhookJson}, {@code application/json}).
 */
public final class CloudEventMessage {

    /** The event's {@code source}. */
    public static final URI SOURCE = URI.create("/driftwarden");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CloudEventMessage() {
    }

    public static CloudEvent of(Digest digest) {
        boolean one = digest.kind() == io.driftwarden.config.NotificationTarget.Digest.EVENT;
        Item first = digest.items().get(0);
        CloudEventBuilder event = CloudEventBuilder.v1()
                .withId(digest.id())
                .withSource(SOURCE)
                .withType(one ? "io.driftwarden.object." + first.primary().label() : "io.driftwarden.run.digest")
                .withSubject(one ? first.what() : digest.runId())
                .withDataContentType("application/json")
                .withData(JSON.writeValueAsString(WebhookJson.of(digest)).getBytes(StandardCharsets.UTF_8));
        if (digest.time() != null) {
            event.withTime(digest.time().atOffset(ZoneOffset.UTC));
        }
        return event.build();
    }
}
