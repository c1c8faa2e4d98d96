-- Tamper evidence (README "Hash chain"): every calls / legs / call_events row carries its place in
-- its node's chain, the hash of the node's previous row, the hash of this node's previous row of the
-- same call, and its own hash. Rows written before this migration keep NULLs (not chained).
-- New columns are referenced through EXEC so the batch compiles before they exist.
-- The engine's database user is a member of routing_engine: SELECT and INSERT only, UPDATE/DELETE denied.

IF COL_LENGTH(N'calls', N'chain_seq') IS NULL
ALTER TABLE calls ADD chain_seq bigint NULL, prev_hash nvarchar(64) NULL, call_prev_hash nvarchar(64) NULL, row_hash nvarchar(64) NULL;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_calls_chain' AND object_id = OBJECT_ID(N'calls'))
EXEC(N'CREATE UNIQUE INDEX ux_calls_chain ON calls (node_id, chain_seq) WHERE chain_seq IS NOT NULL');

IF COL_LENGTH(N'legs', N'chain_seq') IS NULL
ALTER TABLE legs ADD chain_seq bigint NULL, prev_hash nvarchar(64) NULL, call_prev_hash nvarchar(64) NULL, row_hash nvarchar(64) NULL;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_legs_chain' AND object_id = OBJECT_ID(N'legs'))
EXEC(N'CREATE UNIQUE INDEX ux_legs_chain ON legs (node_id, chain_seq) WHERE chain_seq IS NOT NULL');

IF COL_LENGTH(N'call_events', N'chain_seq') IS NULL
ALTER TABLE call_events ADD chain_seq bigint NULL, prev_hash nvarchar(64) NULL, call_prev_hash nvarchar(64) NULL, row_hash nvarchar(64) NULL;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_call_events_chain' AND object_id = OBJECT_ID(N'call_events'))
EXEC(N'CREATE UNIQUE INDEX ux_call_events_chain ON call_events (node_id, chain_seq) WHERE chain_seq IS NOT NULL');

-- Callback tasks are call events (callback.required, .attempted, .reached, .closed): found by kind.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_call_events_callback' AND object_id = OBJECT_ID(N'call_events'))
CREATE INDEX ix_call_events_callback ON call_events (call_id, seq) WHERE kind IN (N'callback.required', N'callback.attempted', N'callback.reached', N'callback.closed');

IF OBJECT_ID(N'ledger_checkpoints', N'U') IS NULL
CREATE TABLE ledger_checkpoints (
    checkpoint_id nvarchar(300) NOT NULL CONSTRAINT pk_ledger_checkpoints PRIMARY KEY,
    node_id       nvarchar(256) NOT NULL,
    chain_seq     bigint NOT NULL,
    row_hash      nvarchar(64) NOT NULL,
    signed_at     datetimeoffset(7) NOT NULL,
    key_id        nvarchar(256) NOT NULL,
    signature     nvarchar(64) NOT NULL
);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_ledger_checkpoints_node_seq' AND object_id = OBJECT_ID(N'ledger_checkpoints'))
CREATE UNIQUE INDEX ux_ledger_checkpoints_node_seq ON ledger_checkpoints (node_id, chain_seq);

IF DATABASE_PRINCIPAL_ID(N'routing_engine') IS NULL
EXEC(N'CREATE ROLE routing_engine');
GRANT SELECT, INSERT ON calls TO routing_engine;
GRANT SELECT, INSERT ON legs TO routing_engine;
GRANT SELECT, INSERT ON call_events TO routing_engine;
GRANT SELECT, INSERT ON rejected_records TO routing_engine;
GRANT SELECT, INSERT ON ledger_checkpoints TO routing_engine;
GRANT SELECT ON migrations TO routing_engine;
DENY UPDATE, DELETE ON calls TO routing_engine;
DENY UPDATE, DELETE ON legs TO routing_engine;
DENY UPDATE, DELETE ON call_events TO routing_engine;
DENY UPDATE, DELETE ON rejected_records TO routing_engine;
DENY UPDATE, DELETE ON ledger_checkpoints TO routing_engine;
