-- A run's job parameters name every binding it runs (comma-separated), which the restart of an unfinished run reads
-- back. Spring Batch's schema gives a parameter 2,500 characters: a run of 500 bindings (the W×10 benchmark, names
-- ns-0 … ns-499) needs 3,389 and failed before its first binding. The same length as audit_event's long columns.
ALTER TABLE BATCH_JOB_EXECUTION_PARAMS ALTER COLUMN PARAMETER_VALUE SET DATA TYPE VARCHAR(1000000);
