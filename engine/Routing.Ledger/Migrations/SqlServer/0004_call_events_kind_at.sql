-- The wallboard's history at start reads one kind of event in a time window, newest first
-- (LedgerReader.EventFactsAsync / EventSpanFactsAsync): without this index that is a scan of every
-- call_events row of the ledger and a sort. seq ends the key so that ORDER BY at DESC, seq DESC is the
-- index read backwards. An index changes no row: routing_engine keeps SELECT and INSERT only (0003).

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_call_events_kind_at' AND object_id = OBJECT_ID(N'call_events'))
CREATE INDEX ix_call_events_kind_at ON call_events (kind, at, seq);
