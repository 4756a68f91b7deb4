-- How far each binding's audit rows are known to hold no open intent (AuditLog.unfinishedIntents): a run reads only
-- the rows after it, so its cost follows what was written since, not the whole trail. Not part of the chain.

CREATE TABLE intent_watermark (
    binding_name VARCHAR(253) NOT NULL PRIMARY KEY,
    seq          BIGINT       NOT NULL
);

-- the binding's intents after a watermark, by range
CREATE INDEX audit_event_binding_event_seq ON audit_event (binding_name, event, seq);
DROP INDEX audit_event_binding_event;
