-- The call record: a call, its agency legs, and everything that happened to it.
-- Append-only: the engine inserts rows and never updates or deletes them.
-- Tables go into the first schema of the connection's search path.
-- node_id says which engine wrote a row (multi-node, crash re-adoption); event_id is chosen by the
-- writer before the row exists, so a replay (retry, spool catching up) inserts nothing twice.

CREATE TABLE IF NOT EXISTS calls (
    call_id           text NOT NULL PRIMARY KEY,
    caller_channel_id text NOT NULL,
    caller_number     text NOT NULL,
    dialed_number     text NOT NULL,
    entry             text NOT NULL,
    arrived_at        timestamptz NOT NULL,
    node_id           text NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_calls_caller_channel_id ON calls (caller_channel_id);
CREATE INDEX IF NOT EXISTS ix_calls_arrived_at ON calls (arrived_at);

CREATE TABLE IF NOT EXISTS legs (
    leg_id     text NOT NULL PRIMARY KEY,
    call_id    text NOT NULL REFERENCES calls (call_id),
    channel_id text NOT NULL,
    agency     text NOT NULL,
    region     text NOT NULL,
    trunk      text NOT NULL,
    endpoint   text NOT NULL,
    attempt    integer NOT NULL,
    planned_at timestamptz NOT NULL,
    node_id    text NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_legs_call_id ON legs (call_id);
-- Reconciliation after an ARI gap asks which call a leg channel belongs to.
CREATE INDEX IF NOT EXISTS ix_legs_channel_id ON legs (channel_id);

CREATE TABLE IF NOT EXISTS call_events (
    seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id text NOT NULL UNIQUE,
    call_id  text NOT NULL,
    leg_id   text NULL,
    at       timestamptz NOT NULL,
    kind     text NOT NULL,
    detail   text NOT NULL,
    node_id  text NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_call_events_call_id ON call_events (call_id, seq);
-- "Open calls" are calls without an outcome event; outcome counts go by time.
CREATE INDEX IF NOT EXISTS ix_call_events_outcome_call_id ON call_events (call_id) WHERE kind = 'outcome';
CREATE INDEX IF NOT EXISTS ix_call_events_outcome_at ON call_events (at) WHERE kind = 'outcome';
