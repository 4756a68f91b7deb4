-- One chain, whatever writes it: every append locks the single chain-head row (SELECT ... FOR UPDATE, a row lock
-- on H2 and PostgreSQL alike) and a prev_hash can be used once, so two writers cannot fork the chain.
-- Each run records the head it left, so `audit verify` also sees the newest rows deleted.

CREATE TABLE audit_chain_head (
    id        INT         PRIMARY KEY,
    last_seq  BIGINT      NOT NULL,
    last_hash VARCHAR(64) NOT NULL
);

INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

UPDATE audit_chain_head
SET last_seq = (SELECT MAX(seq) FROM audit_event),
    last_hash = (SELECT hash FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event))
WHERE id = 1 AND EXISTS (SELECT 1 FROM audit_event);

ALTER TABLE audit_event ADD CONSTRAINT audit_event_prev_hash_unique UNIQUE (prev_hash);

ALTER TABLE audit_run ADD COLUMN chain_seq BIGINT;
ALTER TABLE audit_run ADD COLUMN chain_hash VARCHAR(64);
