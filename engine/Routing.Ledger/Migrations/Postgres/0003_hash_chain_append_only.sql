-- Tamper evidence (README "Hash chain"): every calls / legs / call_events row carries its place in
-- its node's chain, the hash of the node's previous row, the hash of this node's previous row of the
-- same call, and its own hash. Rows written before this migration keep NULLs (not chained).
-- Roles: this migration runs as the migration owner (Ledger:MigrationConnectionString, owner of the
-- tables, with CREATEROLE or a pre-created role). The engine logs in (Ledger:ConnectionString) as a
-- member of routing_engine, which may only SELECT and INSERT: the database refuses its UPDATE/DELETE.

ALTER TABLE calls ADD COLUMN IF NOT EXISTS chain_seq bigint NULL, ADD COLUMN IF NOT EXISTS prev_hash text NULL,
    ADD COLUMN IF NOT EXISTS call_prev_hash text NULL, ADD COLUMN IF NOT EXISTS row_hash text NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_calls_chain ON calls (node_id, chain_seq) WHERE chain_seq IS NOT NULL;

ALTER TABLE legs ADD COLUMN IF NOT EXISTS chain_seq bigint NULL, ADD COLUMN IF NOT EXISTS prev_hash text NULL,
    ADD COLUMN IF NOT EXISTS call_prev_hash text NULL, ADD COLUMN IF NOT EXISTS row_hash text NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_legs_chain ON legs (node_id, chain_seq) WHERE chain_seq IS NOT NULL;

ALTER TABLE call_events ADD COLUMN IF NOT EXISTS chain_seq bigint NULL, ADD COLUMN IF NOT EXISTS prev_hash text NULL,
    ADD COLUMN IF NOT EXISTS call_prev_hash text NULL, ADD COLUMN IF NOT EXISTS row_hash text NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_call_events_chain ON call_events (node_id, chain_seq) WHERE chain_seq IS NOT NULL;

-- Callback tasks are call events (callback.required, .attempted, .reached, .closed): found by kind.
CREATE INDEX IF NOT EXISTS ix_call_events_callback ON call_events (call_id, seq) WHERE kind IN ('callback.required', 'callback.attempted', 'callback.reached', 'callback.closed');

-- A signed checkpoint over a node's chain head every Ledger:Chain:CheckpointEvery rows.
CREATE TABLE IF NOT EXISTS ledger_checkpoints (
    checkpoint_id text NOT NULL PRIMARY KEY,
    node_id       text NOT NULL,
    chain_seq     bigint NOT NULL,
    row_hash      text NOT NULL,
    signed_at     timestamptz NOT NULL,
    key_id        text NOT NULL,
    signature     text NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_ledger_checkpoints_node_seq ON ledger_checkpoints (node_id, chain_seq);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'routing_engine') THEN
        BEGIN
            CREATE ROLE routing_engine NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION 'ledger migration 0003 needs the role routing_engine: run migrations as a role with CREATEROLE, or have a DBA run CREATE ROLE routing_engine NOLOGIN first';
        END;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO routing_engine', current_schema());
END
$$;
REVOKE ALL ON calls, legs, call_events, rejected_records, ledger_checkpoints, migrations FROM PUBLIC;
GRANT SELECT, INSERT ON calls, legs, call_events, rejected_records, ledger_checkpoints TO routing_engine;
GRANT SELECT ON migrations TO routing_engine;
