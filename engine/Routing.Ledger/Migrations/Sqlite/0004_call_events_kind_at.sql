-- The wallboard's history at start reads one kind of event in a time window, newest first
-- (LedgerReader.EventFactsAsync / EventSpanFactsAsync): without this index that is a scan of every
-- call_events row of the ledger and a sort. seq is the rowid, which every SQLite index ends with, so
-- (kind, at) already gives the order at DESC, seq DESC. An index changes no row: the append-only
-- triggers of 0003 stay as they are.

CREATE INDEX IF NOT EXISTS ix_call_events_kind_at ON call_events (kind, at);
