-- The wallboard's history at start reads one kind of event in a time window, newest first
-- (LedgerReader.EventFactsAsync / EventSpanFactsAsync): without this index that is a scan of every
-- call_events row of the ledger and a sort. seq ends the key so that ORDER BY at DESC, seq DESC is the
-- index read backwards. An index changes no row and needs no grant: routing_engine keeps SELECT and
-- INSERT only (0003). Built inside the migration's transaction (CONCURRENTLY cannot be), it holds other
-- nodes' inserts for as long as it takes on a large ledger; their spools take the records meanwhile.

CREATE INDEX IF NOT EXISTS ix_call_events_kind_at ON call_events (kind, at, seq);
