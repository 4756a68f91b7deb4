-- The run lifecycle's leases (Leases): not part of the chain, rows are updated in place.
-- run_lease: one row per run, written before the run's first audit row; its holder renews heartbeat_at while it
-- runs. A RUNNING row whose heartbeat is older than the lease timeout is a run whose process died: the next run (or
-- `run --restart`) marks it ABANDONED, after which its open intents are recovered at once and it can be restarted.
-- The run id is unique here too, so two restarts of one run can never take the same id.
CREATE TABLE run_lease (
    run_id       VARCHAR(64)   NOT NULL PRIMARY KEY,
    restart_of   VARCHAR(64),
    run_trigger  VARCHAR(16)   NOT NULL,
    run_mode     VARCHAR(16),
    bindings     VARCHAR(100000) NOT NULL,
    holder       VARCHAR(512)  NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    state        VARCHAR(16)   NOT NULL
);

CREATE INDEX run_lease_state ON run_lease (state, heartbeat_at);

-- binding_lease: who is reconciling a binding now, until when. Taken (insert, or update of an expired row) before a
-- binding starts, renewed with its run's heartbeat, deleted when the binding ends.
CREATE TABLE binding_lease (
    binding_name VARCHAR(253)  NOT NULL PRIMARY KEY,
    run_id       VARCHAR(64)   NOT NULL,
    holder       VARCHAR(512)  NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
