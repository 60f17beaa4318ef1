-- DORA register of information (ITS (EU) 2024/2956): the fields of a service the templates need
-- beyond what 0001 holds, and the one entity maintaining the register (template B_01.01).
ALTER TABLE services ADD COLUMN function_name TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN reliance TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN exit_plan TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN rto_hours BIGINT;
ALTER TABLE services ADD COLUMN rpo_hours BIGINT;

CREATE TABLE register_entity (
    id                  BIGINT  PRIMARY KEY CHECK (id = 1),
    lei                 TEXT    NOT NULL DEFAULT '',
    name                TEXT    NOT NULL DEFAULT '',
    country             TEXT    NOT NULL DEFAULT '',
    entity_type         TEXT    NOT NULL DEFAULT '',
    competent_authority TEXT    NOT NULL DEFAULT '',
    currency            TEXT    NOT NULL DEFAULT 'EUR',
    updated_at          TIMESTAMPTZ NOT NULL
);
