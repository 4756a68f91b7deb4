package io.driftwarden.audit.report;

import java.util.List;

/**
 * What a report adds to the rows for a review: the {@link Measures measures} of the range and, per control a binding
 * evidences ({@code controls:} in the config), which bindings evidence it and their measures together. Audit rows carry
 * no controls: the control → bindings map is the configuration's at the time of the report.
 */
public record Compliance(Measures measures, List<Control> controls) {

    /** How a control's measures are described in every report. */
    public static final String CONTROLS = "per control id (a binding's controls: in the config read at report time, not "
            + "from the rows): the bindings that evidence it, and their measures taken together over the range";

    public Compliance {
        controls = List.copyOf(controls);
    }

    /** One control: its id, the bindings that name it (sorted), and the measures of their rows together. */
    public record Control(String id, List<String> bindings, Measures.Group measures) {
    }
}
