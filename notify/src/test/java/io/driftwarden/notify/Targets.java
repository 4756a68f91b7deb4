package io.driftwarden.notify;

import io.driftwarden.config.NotificationTarget;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Notification targets for tests. */
final class Targets {

    private Targets() {
    }

    static NotificationTarget target(NotificationTarget.Type type, Set<NotificationTarget.Event> events, List<String> bindings,
            NotificationTarget.Severity severity, NotificationTarget.Digest digest) {
        return new NotificationTarget("t-" + type.label(), type, "https://hooks.example.com/x", null, null, events, bindings, List.of(),
                severity, digest, Duration.ofSeconds(5), null, "driftwarden.yaml:1");
    }

    static NotificationTarget all(NotificationTarget.Type type) {
        return target(type, Set.of(NotificationTarget.Event.values()), List.of(), NotificationTarget.Severity.INFO,
                NotificationTarget.Digest.RUN);
    }
}
