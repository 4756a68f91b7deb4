-- What each binding has applied, so an object whose kind left Git entirely can still be found and pruned.
-- Unlike audit_event this is state, replaced per binding after each enforcing run; every change to a cluster
-- is in audit_event.

CREATE TABLE inventory (
    binding_name VARCHAR(253) NOT NULL,
    api_version  VARCHAR(317) NOT NULL,
    kind         VARCHAR(253) NOT NULL,
    namespace    VARCHAR(253) NOT NULL,
    name         VARCHAR(253) NOT NULL,
    PRIMARY KEY (binding_name, api_version, kind, namespace, name)
);
