package io.driftwarden.notify.delivery;

/**
 * How one message's delivery ended: delivered or not, after how many attempts, the last HTTP status (0: none, e.g. a
 * connection error or SMTP), and for a failure what to record — the status or the exception's class, never an address.
 */
public record Result(boolean delivered, int attempts, int status, String failure) {

    public static Result delivered(int attempts, int status) {
        return new Result(true, attempts, status, null);
    }

    public static Result failed(int attempts, int status, String failure) {
        return new Result(false, attempts, status, failure);
    }
}
