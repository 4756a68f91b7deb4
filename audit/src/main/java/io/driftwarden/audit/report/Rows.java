package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditRecord;
import java.io.IOException;
import java.util.List;

/** Audit rows read one at a time (from the store, streamed), so a report needs no more memory for more rows. */
@FunctionalInterface
public interface Rows {

    /** What is done with each row. */
    @FunctionalInterface
    interface Handler {
        void row(AuditRecord record) throws IOException;
    }

    /** Hands every row, oldest first, to {@code handler}. */
    void each(Handler handler) throws IOException;

    static Rows of(List<AuditRecord> records) {
        return handler -> {
            for (AuditRecord record : records) {
                handler.row(record);
            }
        };
    }
}
