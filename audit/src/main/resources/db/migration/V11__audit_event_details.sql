-- What a row can say beyond the drift itself (issues 21-23), one nullable column each. Old rows keep NULL in all of
-- them, and ChainHash covers a detail only when it is present, so every row written before V11 still verifies.
--   changed_by      who last changed each drifted path, from managedFields: one "path<TAB>manager<TAB>time" line a path
--   health_state    kstatus's Current | InProgress | Failed | Unknown for the object after the run
--   health_message  why, from its conditions
--   exception_name  the approved exception that covered the drift (EXCEPTED rows) or that expired
--   chart           the remote Helm chart the binding rendered: repository, name and version
--   chart_digest    the chart's digest (sha256:...), as verified
ALTER TABLE audit_event ADD COLUMN changed_by VARCHAR(1000000);
ALTER TABLE audit_event ADD COLUMN health_state VARCHAR(16);
ALTER TABLE audit_event ADD COLUMN health_message VARCHAR(1000000);
ALTER TABLE audit_event ADD COLUMN exception_name VARCHAR(253);
ALTER TABLE audit_event ADD COLUMN chart VARCHAR(2048);
ALTER TABLE audit_event ADD COLUMN chart_digest VARCHAR(100);
