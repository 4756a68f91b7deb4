package io.driftwarden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.kube.FieldType;
import io.driftwarden.kube.Schemas;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code managedFields[].time} as kube-apiserver keeps it (k8s.io/apiserver managedfields/internal/managedfieldsupdater.go):
 * an update stamps its manager's entry when the write took any field, an apply when it changed the object; every other
 * entry keeps its time. What this does not prove: the oracle (SmdOracleIT) compares field sets, not times — these rules
 * are read from the updater's source, not run against it.
 */
class FieldManagerTimesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FieldType DEPLOYMENT = Schemas.builtin().kind("apps/v1", "Deployment");

    private final MovingClock clock = new MovingClock();
    private final FieldManagers managers = new FieldManagers(clock);

    @Test
    void stampsAManagersTimeOnlyWhenItsWriteChangedSomething() {
        // given driftwarden applies at 02:00
        clock.at("2026-12-03T02:00:00Z");
        ObjectNode live = managers.apply(null, deployment(2, "nginx:1.27"), DEPLOYMENT, "driftwarden", true);
        // and kubectl-edit changes replicas at 02:14
        clock.at("2026-12-03T02:14:00Z");
        live = managers.update(live, deployment(5, "nginx:1.27"), DEPLOYMENT, "kubectl-edit", "");
        assertThat(times(live)).isEqualTo("driftwarden=2026-12-03T02:00:00Z kubectl-edit=2026-12-03T02:14:00Z");

        // when kubectl-edit changes replicas again, a field it owns already
        clock.at("2026-12-03T03:00:00Z");
        live = managers.update(live, deployment(6, "nginx:1.27"), DEPLOYMENT, "kubectl-edit", "");
        // then its time moves
        assertThat(times(live)).isEqualTo("driftwarden=2026-12-03T02:00:00Z kubectl-edit=2026-12-03T03:00:00Z");

        // when it writes the same object again, and driftwarden re-applies what it applied (no change), its time stays
        clock.at("2026-12-03T04:00:00Z");
        live = managers.update(live, deployment(6, "nginx:1.27"), DEPLOYMENT, "kubectl-edit", "");
        live = managers.apply(live, deployment(6, "nginx:1.27"), DEPLOYMENT, "driftwarden", true);
        assertThat(times(live)).isEqualTo("driftwarden=2026-12-03T02:00:00Z kubectl-edit=2026-12-03T03:00:00Z");

        // when driftwarden applies a new image (the same field set, another value), its time moves; kubectl-edit's stays
        clock.at("2026-12-03T05:00:00Z");
        live = managers.apply(live, deployment(6, "nginx:1.28"), DEPLOYMENT, "driftwarden", true);
        assertThat(times(live)).isEqualTo("driftwarden=2026-12-03T05:00:00Z kubectl-edit=2026-12-03T03:00:00Z");
    }

    private static ObjectNode deployment(int replicas, String image) {
        return (ObjectNode) JSON.readTree("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
                  "spec":{"containers":[{"name":"web","image":"%s"}]}}}}""".formatted(replicas, image));
    }

    private static String times(JsonNode live) {
        StringBuilder out = new StringBuilder();
        for (JsonNode entry : live.path("metadata").path("managedFields")) {
            out.append(out.isEmpty() ? "" : " ").append(entry.path("manager").asString()).append('=').append(entry.path("time").asString());
        }
        return out.toString();
    }

    /** A clock the test sets. */
    private static final class MovingClock extends Clock {
        private Instant now = Instant.EPOCH;

        void at(String instant) {
            now = Instant.parse(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
