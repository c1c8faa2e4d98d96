-- Records the database refused for good (a constraint or data error, e.g. a leg whose call was
-- never recorded) are kept here, whole, instead of blocking every record queued behind them.
-- Append-only like the rest; record_key ('leg:<leg_id>', ...) makes a replay insert nothing twice.

CREATE TABLE IF NOT EXISTS rejected_records (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    record_key  TEXT NOT NULL UNIQUE,
    record_type TEXT NOT NULL,
    call_id     TEXT NOT NULL,
    payload     TEXT NOT NULL,
    error       TEXT NOT NULL,
    rejected_at TEXT NOT NULL,
    node_id     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_rejected_records_call_id ON rejected_records (call_id);
