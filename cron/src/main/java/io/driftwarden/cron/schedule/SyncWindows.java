package io.driftwarden.cron.schedule;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.SyncWindow;
import io.driftwarden.jobs.lifecycle.SyncWindowPolicy;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * Whether a binding may correct drift now, by the config's sync windows (Argo CD's rules): a matching {@code deny}
 * window that is open closes it; when any {@code allow} window matches the binding, one of them must be open. A window
 * is open at {@code t} when its cron fired at some {@code s} with {@code s <= t < s + duration}, by Quartz's own
 * {@link CronExpression} — the run lifecycle in jobs/ asks through {@link SyncWindowPolicy}.
 */
public final class SyncWindows implements SyncWindowPolicy {

    /** The windows as Quartz reads their schedules. */
    public static final SyncWindows QUARTZ = new SyncWindows();

    private SyncWindows() {
    }

    /** Why {@code binding} may not correct at {@code now}, or null when it may. */
    @Override
    public String closed(DriftwardenConfig config, BindingSpec binding, Instant now) {
        List<SyncWindow> matching = config.windows().stream().filter(w -> w.appliesTo(binding)).toList();
        for (SyncWindow window : matching) {
            if (window.kind() == SyncWindow.Kind.DENY && open(window, now)) {
                return "sync window closed: " + window.describe() + " is open";
            }
        }
        List<SyncWindow> allows = matching.stream().filter(w -> w.kind() == SyncWindow.Kind.ALLOW).toList();
        if (!allows.isEmpty() && allows.stream().noneMatch(w -> open(w, now))) {
            return "sync window closed: outside " + String.join(" and ", allows.stream().map(SyncWindow::describe).toList());
        }
        return null;
    }

    /** The earliest firing after {@code now - duration} is at or before {@code now}. */
    static boolean open(SyncWindow window, Instant now) {
        try {
            CronExpression cron = new CronExpression(window.schedule().cron());
            cron.setTimeZone(TimeZone.getTimeZone(window.schedule().timeZone()));
            Date start = cron.getTimeAfter(Date.from(now.minus(window.duration()).minusMillis(1)));
            return start != null && !start.toInstant().isAfter(now);
        } catch (ParseException e) {
            throw new IllegalStateException("window " + window.origin() + ": " + e.getMessage(), e); // validated at load
        }
    }
}
