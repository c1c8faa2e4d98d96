-- Tamper evidence (README "Hash chain"): every calls / legs / call_events row carries its place in
-- its node's chain, the hash of the node's previous row, the hash of this node's previous row of the
-- same call, and its own hash. Rows written before this migration keep NULLs (not chained).
-- The engine may only append: triggers make the database itself refuse any UPDATE or DELETE of a
-- ledger table, whoever issues it through this file's schema.

ALTER TABLE calls ADD COLUMN chain_seq INTEGER NULL;
ALTER TABLE calls ADD COLUMN prev_hash TEXT NULL;
ALTER TABLE calls ADD COLUMN call_prev_hash TEXT NULL;
ALTER TABLE calls ADD COLUMN row_hash TEXT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_calls_chain ON calls (node_id, chain_seq) WHERE chain_seq IS NOT NULL;

ALTER TABLE legs ADD COLUMN chain_seq INTEGER NULL;
ALTER TABLE legs ADD COLUMN prev_hash TEXT NULL;
ALTER TABLE legs ADD COLUMN call_prev_hash TEXT NULL;
ALTER TABLE legs ADD COLUMN row_hash TEXT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_legs_chain ON legs (node_id, chain_seq) WHERE chain_seq IS NOT NULL;

ALTER TABLE call_events ADD COLUMN chain_seq INTEGER NULL;
ALTER TABLE call_events ADD COLUMN prev_hash TEXT NULL;
ALTER TABLE call_events ADD COLUMN call_prev_hash TEXT NULL;
ALTER TABLE call_events ADD COLUMN row_hash TEXT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_call_events_chain ON call_events (node_id, chain_seq) WHERE chain_seq IS NOT NULL;

-- Callback tasks are call events (callback.required, .attempted, .reached, .closed): found by kind.
CREATE INDEX IF NOT EXISTS ix_call_events_callback ON call_events (call_id, seq) WHERE kind IN ('callback.required', 'callback.attempted', 'callback.reached', 'callback.closed');

-- A signed checkpoint over a node's chain head every Ledger:Chain:CheckpointEvery rows.
CREATE TABLE IF NOT EXISTS ledger_checkpoints (
    checkpoint_id TEXT NOT NULL PRIMARY KEY,
    node_id       TEXT NOT NULL,
    chain_seq     INTEGER NOT NULL,
    row_hash      TEXT NOT NULL,
    signed_at     TEXT NOT NULL,
    key_id        TEXT NOT NULL,
    signature     TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_ledger_checkpoints_node_seq ON ledger_checkpoints (node_id, chain_seq);

CREATE TRIGGER IF NOT EXISTS calls_append_only_update BEFORE UPDATE ON calls
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: calls rows are never updated'); END;
CREATE TRIGGER IF NOT EXISTS calls_append_only_delete BEFORE DELETE ON calls
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: calls rows are never deleted'); END;
CREATE TRIGGER IF NOT EXISTS legs_append_only_update BEFORE UPDATE ON legs
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: legs rows are never updated'); END;
CREATE TRIGGER IF NOT EXISTS legs_append_only_delete BEFORE DELETE ON legs
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: legs rows are never deleted'); END;
CREATE TRIGGER IF NOT EXISTS call_events_append_only_update BEFORE UPDATE ON call_events
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: call_events rows are never updated'); END;
CREATE TRIGGER IF NOT EXISTS call_events_append_only_delete BEFORE DELETE ON call_events
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: call_events rows are never deleted'); END;
CREATE TRIGGER IF NOT EXISTS rejected_records_append_only_update BEFORE UPDATE ON rejected_records
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: rejected_records rows are never updated'); END;
CREATE TRIGGER IF NOT EXISTS rejected_records_append_only_delete BEFORE DELETE ON rejected_records
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: rejected_records rows are never deleted'); END;
CREATE TRIGGER IF NOT EXISTS ledger_checkpoints_append_only_update BEFORE UPDATE ON ledger_checkpoints
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: ledger_checkpoints rows are never updated'); END;
CREATE TRIGGER IF NOT EXISTS ledger_checkpoints_append_only_delete BEFORE DELETE ON ledger_checkpoints
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: ledger_checkpoints rows are never deleted'); END;
