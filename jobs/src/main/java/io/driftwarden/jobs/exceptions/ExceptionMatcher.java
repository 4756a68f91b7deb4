package io.driftwarden.jobs.exceptions;

import io.driftwarden.config.ExceptionSpec;
import io.driftwarden.config.ExceptionSpec.PathPattern;
import io.driftwarden.jobs.diff.DriftType;
import io.driftwarden.kube.FieldPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether an approved exception covers one drift — a pure function of the exceptions, the drifted object, its paths and
 * the instant. The rules (README, "Exceptions"):
 * <ul>
 *   <li>only a {@code MODIFIED} object is covered: never a missing object, an object that left Git (a prune), nor any
 *   write the tenancy gate refuses ({@code refused}) — those stay what they are;</li>
 *   <li>an exception selects the object by binding, cluster, namespace and name globs and by exact kind;</li>
 *   <li>one exception must cover <em>every</em> drifted path of the object (a path covers itself and everything below
 *   it, element by element: {@code spec.replicas} never covers {@code spec.replicasMax}); a drift only partly covered
 *   is corrected as usual, which also resets the covered paths (server-side apply writes the whole object);</li>
 *   <li>an exception covers up to the end of its {@code expires} day, UTC; after that it covers nothing, and a drift it
 *   would have covered names it as expired — unless another, active exception covers the drift.</li>
 * </ul>
 */
public final class ExceptionMatcher {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ExceptionMatcher() {
    }

    /** The drifted object as the matcher sees it; {@code refused} when the tenancy gate refuses writing it. */
    public record Target(String binding, String cluster, String namespace, String kind, String name, DriftType type, boolean refused) {
    }

    /** One drifted path, with its JSON pointer in the live object (or in Git's, when live lacks it; null if neither has it). */
    public record Changed(FieldPath path, String pointer) {
    }

    /** The active exception that covers the drift (null: none), and the expired ones that would have. */
    public record Verdict(ExceptionSpec covering, List<ExceptionSpec> expired) {

        public static final Verdict NONE = new Verdict(null, List.of());

        public Verdict {
            expired = List.copyOf(expired);
        }

        public boolean covered() {
            return covering != null;
        }
    }

    /** The verdict for one drift at {@code now}; the first covering exception in config order wins. */
    public static Verdict judge(List<ExceptionSpec> exceptions, Target target, List<Changed> paths, Instant now) {
        if (target.refused() || target.type() != DriftType.MODIFIED || paths.isEmpty()) {
            return Verdict.NONE;
        }
        ExceptionSpec covering = null;
        List<ExceptionSpec> expired = new ArrayList<>();
        for (ExceptionSpec exception : exceptions) {
            if (!exception.selects(target.binding(), target.cluster(), target.namespace(), target.kind(), target.name())
                    || !paths.stream().allMatch(changed -> exception.paths().stream().anyMatch(p -> covers(p, changed)))) {
                continue;
            }
            if (!exception.activeAt(now)) {
                expired.add(exception);
            } else if (covering == null) {
                covering = exception;
            }
        }
        return covering != null ? new Verdict(covering, List.of()) : new Verdict(null, expired);
    }

    /** Whether {@code pattern} names {@code changed}'s path or one of its ancestors, element by element. */
    static boolean covers(PathPattern pattern, Changed changed) {
        if (pattern.pointer()) {
            if (changed.pointer() == null) {
                return false;
            }
            List<String> tokens = tokens(changed.pointer());
            List<PathPattern.Segment> wanted = pattern.segments();
            if (wanted.size() > tokens.size()) {
                return false;
            }
            for (int i = 0; i < wanted.size(); i++) {
                if (!((PathPattern.Field) wanted.get(i)).name().equals(tokens.get(i))) {
                    return false;
                }
            }
            return true;
        }
        List<FieldPath.Element> elements = changed.path().elements();
        List<PathPattern.Segment> wanted = pattern.segments();
        if (wanted.size() > elements.size()) {
            return false;
        }
        for (int i = 0; i < wanted.size(); i++) {
            if (!same(wanted.get(i), elements.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(PathPattern.Segment segment, FieldPath.Element element) {
        return switch (element.kind()) {
            case FIELD -> segment instanceof PathPattern.Field field && field.name().equals(element.text());
            case INDEX -> segment instanceof PathPattern.Index index && String.valueOf(index.index()).equals(element.text());
            case VALUE -> segment instanceof PathPattern.Value value && value.text().equals(FieldPath.scalarText(JSON.readTree(element.text())));
            case KEY -> segment instanceof PathPattern.Key key && key.fields().equals(keyFields(element.text()));
        };
    }

    private static Map<String, String> keyFields(String json) {
        Map<String, String> fields = new TreeMap<>();
        JSON.readTree(json).properties().forEach(e -> fields.put(e.getKey(), FieldPath.scalarText(e.getValue())));
        return fields;
    }

    private static List<String> tokens(String pointer) {
        List<String> tokens = new ArrayList<>();
        if (pointer.isEmpty()) {
            return tokens;
        }
        for (String token : pointer.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    /** The pointer of {@code path} in {@code live}, else in {@code desired}, else null. */
    public static String pointerOf(FieldPath path, JsonNode live, JsonNode desired) {
        String pointer = live == null ? null : path.pointer(live);
        return pointer != null ? pointer : desired == null ? null : path.pointer(desired);
    }
}
