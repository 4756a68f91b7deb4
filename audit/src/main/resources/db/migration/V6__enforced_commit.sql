-- The commit each binding last enforced, so a commit that does not descend from it (a force-push) is noticed.
-- State like inventory: replaced with it, in the same transaction, after each enforcing run.

CREATE TABLE enforced_commit (
    binding_name VARCHAR(253)  NOT NULL PRIMARY KEY,
    source_url   VARCHAR(2048) NOT NULL,
    commit_sha   VARCHAR(64)   NOT NULL
);
