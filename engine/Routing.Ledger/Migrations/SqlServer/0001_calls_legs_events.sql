-- The call record: a call, its agency legs, and everything that happened to it.
-- Append-only: the engine inserts rows and never updates or deletes them.
-- SQL Server has no CREATE ... IF NOT EXISTS, so every object is guarded explicitly.
-- Indexed text is nvarchar(256) (index keys are limited to 1700 bytes); free text is nvarchar(max).
-- node_id says which engine wrote a row (multi-node, crash re-adoption); event_id is chosen by the
-- writer before the row exists, so a replay (retry, spool catching up) inserts nothing twice.

IF OBJECT_ID(N'calls', N'U') IS NULL
CREATE TABLE calls (
    call_id           nvarchar(256) NOT NULL CONSTRAINT pk_calls PRIMARY KEY,
    caller_channel_id nvarchar(256) NOT NULL,
    caller_number     nvarchar(max) NOT NULL,
    dialed_number     nvarchar(max) NOT NULL,
    entry             nvarchar(256) NOT NULL,
    arrived_at        datetimeoffset(7) NOT NULL,
    node_id           nvarchar(256) NOT NULL
);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_calls_caller_channel_id' AND object_id = OBJECT_ID(N'calls'))
CREATE INDEX ix_calls_caller_channel_id ON calls (caller_channel_id);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_calls_arrived_at' AND object_id = OBJECT_ID(N'calls'))
CREATE INDEX ix_calls_arrived_at ON calls (arrived_at);

IF OBJECT_ID(N'legs', N'U') IS NULL
CREATE TABLE legs (
    leg_id     nvarchar(256) NOT NULL CONSTRAINT pk_legs PRIMARY KEY,
    call_id    nvarchar(256) NOT NULL CONSTRAINT fk_legs_calls REFERENCES calls (call_id),
    channel_id nvarchar(256) NOT NULL,
    agency     nvarchar(256) NOT NULL,
    region     nvarchar(256) NOT NULL,
    trunk      nvarchar(256) NOT NULL,
    endpoint   nvarchar(max) NOT NULL,
    attempt    int NOT NULL,
    planned_at datetimeoffset(7) NOT NULL,
    node_id    nvarchar(256) NOT NULL
);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_legs_call_id' AND object_id = OBJECT_ID(N'legs'))
CREATE INDEX ix_legs_call_id ON legs (call_id);
-- Reconciliation after an ARI gap asks which call a leg channel belongs to.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_legs_channel_id' AND object_id = OBJECT_ID(N'legs'))
CREATE INDEX ix_legs_channel_id ON legs (channel_id);

IF OBJECT_ID(N'call_events', N'U') IS NULL
CREATE TABLE call_events (
    seq      bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_call_events PRIMARY KEY,
    event_id nvarchar(256) NOT NULL CONSTRAINT uq_call_events_event_id UNIQUE,
    call_id  nvarchar(256) NOT NULL,
    leg_id   nvarchar(256) NULL,
    at       datetimeoffset(7) NOT NULL,
    kind     nvarchar(256) NOT NULL,
    detail   nvarchar(max) NOT NULL,
    node_id  nvarchar(256) NOT NULL
);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_call_events_call_id' AND object_id = OBJECT_ID(N'call_events'))
CREATE INDEX ix_call_events_call_id ON call_events (call_id, seq);
-- "Open calls" are calls without an outcome event; outcome counts go by time (filtered indexes).
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_call_events_outcome_call_id' AND object_id = OBJECT_ID(N'call_events'))
CREATE INDEX ix_call_events_outcome_call_id ON call_events (call_id) WHERE kind = N'outcome';
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_call_events_outcome_at' AND object_id = OBJECT_ID(N'call_events'))
CREATE INDEX ix_call_events_outcome_at ON call_events (at) WHERE kind = N'outcome';
