-- Records the database refused for good (a constraint or data error, e.g. a leg whose call was
-- never recorded) are kept here, whole, instead of blocking every record queued behind them.
-- Append-only like the rest; record_key ('leg:<leg_id>', ...) makes a replay insert nothing twice.

CREATE TABLE IF NOT EXISTS rejected_records (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_key  text NOT NULL UNIQUE,
    record_type text NOT NULL,
    call_id     text NOT NULL,
    payload     text NOT NULL,
    error       text NOT NULL,
    rejected_at timestamptz NOT NULL,
    node_id     text NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_rejected_records_call_id ON rejected_records (call_id);
