package io.driftwarden.audit;

/** The audit store could not be written or read. A failed append means the write it announced must not happen. */
public class AuditException extends RuntimeException {

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuditException(String message) {
        super(message);
    }
}
