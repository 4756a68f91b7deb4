package io.driftwarden.jobs.health;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Reading a live object's fields as kstatus's {@code GetIntField} / {@code GetStringField} do: absent → the default. */
final class Status {

    private Status() {
    }

    /** The integer at {@code pointer} (a JSON pointer), or {@code fallback} when it is absent or not a number. */
    static long integer(JsonNode object, String pointer, long fallback) {
        JsonNode value = object.at(pointer);
        return value.isIntegralNumber() ? value.longValue() : fallback;
    }

    static String text(JsonNode object, String pointer, String fallback) {
        JsonNode value = object.at(pointer);
        return value.isString() ? value.asString() : fallback;
    }

    /** The condition of {@code type} in {@code status.conditions}, if the object has one. */
    static Optional<JsonNode> condition(JsonNode object, String type) {
        for (JsonNode condition : object.path("status").path("conditions")) {
            if (type.equals(condition.path("type").asString(""))) {
                return Optional.of(condition);
            }
        }
        return Optional.empty();
    }

    /** Whether the condition of {@code type} has {@code status} ("True", "False", "Unknown"). */
    static boolean hasCondition(JsonNode object, String type, String status) {
        return condition(object, type).map(c -> status.equals(c.path("status").asString(""))).orElse(false);
    }

    static String reason(JsonNode condition) {
        return condition.path("reason").asString("");
    }

    static String message(JsonNode condition) {
        return condition.path("message").asString("");
    }
}
