package io.driftwarden.notify;

import io.driftwarden.config.NotificationTarget;
import java.time.Instant;
import java.util.List;

/**
 * What a target gets from a run (a pure function of the target and the run's items): the items of the bindings and
 * clusters it selects whose events it asks for at its severity. With {@code digest: run} that is one message — or none
 * when nothing is selected — carrying too the selected bindings' excepted items; with {@code digest: event}, one
 * message per item.
 */
public final class Digests {

    private Digests() {
    }

    public static List<Digest> of(NotificationTarget target, String runId, String trigger, List<Item> items, Instant time) {
        List<Item> selected = items.stream()
                .filter(item -> target.selects(item.binding(), item.cluster()) && target.wants(item.events())).toList();
        if (selected.isEmpty()) {
            return List.of();
        }
        if (target.digest() == NotificationTarget.Digest.EVENT) {
            return selected.stream().map(item -> new Digest(target, runId, trigger, NotificationTarget.Digest.EVENT, List.of(item),
                    List.of(), item.time() == null ? time : item.time())).toList();
        }
        List<Item> excepted = items.stream().filter(item -> item.events().isEmpty() && item.exception() != null)
                .filter(item -> target.selects(item.binding(), item.cluster())).toList();
        return List.of(new Digest(target, runId, trigger, NotificationTarget.Digest.RUN, selected, excepted, time));
    }
}
