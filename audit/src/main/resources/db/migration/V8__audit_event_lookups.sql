-- Indexes for what every run asks before it writes: the binding's INTENT rows and, for each, whether its run
-- recorded an outcome or wrote anything lately (AuditLog.unfinishedIntents). Without them a steady run after a cold
-- one read the cold run's rows once per intent: 50 bindings of 201 objects took minutes (the benchmark found it).

CREATE INDEX audit_event_binding_event ON audit_event (binding_name, event);
CREATE INDEX audit_event_outcome ON audit_event (run_id, binding_name, kind, name);
CREATE INDEX audit_event_run_time ON audit_event (run_id, event_time);
