-- Retention: rows pruned into an archive leave their last hash here; the chain in the table starts from it.
CREATE TABLE audit_anchor (
    id   INT         PRIMARY KEY,
    seq  BIGINT      NOT NULL,
    hash VARCHAR(64) NOT NULL
);
