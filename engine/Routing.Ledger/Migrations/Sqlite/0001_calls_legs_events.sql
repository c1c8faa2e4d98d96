-- The call record: a call, its agency legs, and everything that happened to it.
-- Append-only: the engine inserts rows and never updates or deletes them.
-- Instants are UTC ISO-8601 text with microseconds (yyyy-MM-ddTHH:mm:ss.ffffffZ), which sorts correctly.
-- node_id says which engine wrote a row (multi-node, crash re-adoption); event_id is chosen by the
-- writer before the row exists, so a replay (retry, spool catching up) inserts nothing twice.

CREATE TABLE IF NOT EXISTS calls (
    call_id           TEXT NOT NULL PRIMARY KEY,
    caller_channel_id TEXT NOT NULL,
    caller_number     TEXT NOT NULL,
    dialed_number     TEXT NOT NULL,
    entry             TEXT NOT NULL,
    arrived_at        TEXT NOT NULL,
    node_id           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_calls_caller_channel_id ON calls (caller_channel_id);
CREATE INDEX IF NOT EXISTS ix_calls_arrived_at ON calls (arrived_at);

CREATE TABLE IF NOT EXISTS legs (
    leg_id     TEXT NOT NULL PRIMARY KEY,
    call_id    TEXT NOT NULL REFERENCES calls (call_id),
    channel_id TEXT NOT NULL,
    agency     TEXT NOT NULL,
    region     TEXT NOT NULL,
    trunk      TEXT NOT NULL,
    endpoint   TEXT NOT NULL,
    attempt    INTEGER NOT NULL,
    planned_at TEXT NOT NULL,
    node_id    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_legs_call_id ON legs (call_id);
-- Reconciliation after an ARI gap asks which call a leg channel belongs to.
CREATE INDEX IF NOT EXISTS ix_legs_channel_id ON legs (channel_id);

CREATE TABLE IF NOT EXISTS call_events (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    call_id  TEXT NOT NULL,
    leg_id   TEXT NULL,
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    detail   TEXT NOT NULL,
    node_id  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_call_events_call_id ON call_events (call_id, seq);
-- "Open calls" are calls without an outcome event; outcome counts go by time.
CREATE INDEX IF NOT EXISTS ix_call_events_outcome_call_id ON call_events (call_id) WHERE kind = 'outcome';
CREATE INDEX IF NOT EXISTS ix_call_events_outcome_at ON call_events (at) WHERE kind = 'outcome';
