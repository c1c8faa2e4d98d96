using Prometheus;

namespace Routing.Engine.Metrics;

/// <summary>Every metric the engine exports. Labels are low-cardinality only: agency, trunk,
/// state, outcome, event type — never a call id or a caller number.</summary>
internal static class EngineMetrics
{
    public static readonly Counter CallsTotal = Prometheus.Metrics.CreateCounter(
        "routing_calls_total", "Calls that reached a terminal outcome.", "agency", "outcome");

    public static readonly Gauge ActiveCalls = Prometheus.Metrics.CreateGauge(
        "routing_calls_active", "Calls currently in each state.", "state");

    public static readonly Histogram AgencyAnswerSeconds = Prometheus.Metrics.CreateHistogram(
        "routing_agency_answer_seconds", "Time from a call's arrival to the agency answering.",
        new HistogramConfiguration
        {
            LabelNames = ["agency"],
            Buckets = [0.5, 1, 2, 3, 5, 8, 10, 15, 20, 30, 45, 60, 90, 120],
        });

    public static readonly Histogram CallDurationSeconds = Prometheus.Metrics.CreateHistogram(
        "routing_call_duration_seconds", "Time from arrival to the terminal outcome.",
        new HistogramConfiguration
        {
            LabelNames = ["outcome"],
            Buckets = Histogram.ExponentialBuckets(1, 2, 12),
        });

    public static readonly Counter LegFailures = Prometheus.Metrics.CreateCounter(
        "routing_leg_failures_total", "Agency legs that did not answer.", "agency", "trunk", "reason");

    public static readonly Counter ExpectedRacesLost = Prometheus.Metrics.CreateCounter(
        "routing_expected_races_lost_total", "Commands that found their target already gone in a race the call expects (e.g. stopping a prompt that had just finished); not journalled.", "command");

    public static readonly Counter AriEvents = Prometheus.Metrics.CreateCounter(
        "routing_ari_events_total", "ARI events received, by type.", "type");

    public static readonly Counter AriFramesRejected = Prometheus.Metrics.CreateCounter(
        "routing_ari_frames_rejected_total", "ARI websocket frames that could not be parsed.");

    public static readonly Counter AriEventsLost = Prometheus.Metrics.CreateCounter(
        "routing_ari_events_lost_total", "ARI events dropped because the engine's inbound buffer was full.");

    public static readonly Counter AriConnections = Prometheus.Metrics.CreateCounter(
        "routing_ari_connections_total", "ARI websocket connections established (1 + reconnects).");

    public static readonly Gauge AriConnected = Prometheus.Metrics.CreateGauge(
        "routing_ari_connected", "1 while the ARI event websocket is connected.");

    public static readonly Counter Unowned = Prometheus.Metrics.CreateCounter(
        "routing_ari_unowned_events_total", "Events about channels no live call owns (late, or after the call ended).");

    public static readonly Counter CallerMessages = Prometheus.Metrics.CreateCounter(
        "routing_caller_messages_total", "Messages to callers about their call, by stage and result (sent, failed, skipped, dropped).", "stage", "result");

    public static readonly Gauge CallerMessagesQueued = Prometheus.Metrics.CreateGauge(
        "routing_caller_messages_queued", "Messages to callers waiting to be sent or retried.");

    public static readonly Counter CallerMessageRetries = Prometheus.Metrics.CreateCounter(
        "routing_caller_message_retries_total", "Caller messages that failed for a moment and were retried.");

    public static readonly Counter FallbackCallsImported = Prometheus.Metrics.CreateCounter(
        "routing_fallback_calls_imported_total", "Calls the dialplan routed without the engine, recorded afterwards from Asterisk's CEL.");

    public static readonly Counter FallbackTextsImported = Prometheus.Metrics.CreateCounter(
        "routing_fallback_texts_imported_total", "Texts the dialplan forwarded to the fallback desk without the engine, recorded afterwards from Asterisk's CEL.");

    public static readonly Counter CelLinesRejected = Prometheus.Metrics.CreateCounter(
        "routing_cel_lines_rejected_total", "CEL lines that could not be read (named in the log with file and line).");

    public static readonly Gauge AmiConnected = Prometheus.Metrics.CreateGauge(
        "routing_ami_connected", "1 while the AMI connection is up.");

    public static readonly Counter FallbackCalls = Prometheus.Metrics.CreateCounter(
        "routing_fallback_calls_total", "Calls the dialplan routed without the engine (Stasis app unavailable), seen over AMI.");

    public static readonly Counter Swept = Prometheus.Metrics.CreateCounter(
        "routing_swept_total", "Channels and bridges of our app that no live call owned, handled by the sweeper.", "kind", "action");

    public static readonly Gauge CallbacksOpen = Prometheus.Metrics.CreateGauge(
        "routing_callbacks_open", "Callback tasks not yet closed nor reached.");

    public static readonly Gauge CallbackOldestOpenSeconds = Prometheus.Metrics.CreateGauge(
        "routing_callback_oldest_open_seconds", "Age of the oldest callback task still without any attempt (0 if none).");

    public static readonly Counter CallbackCalls = Prometheus.Metrics.CreateCounter(
        "routing_callback_calls_total", "Call backs from a call-taker's phone by result: reached, busy, no-answer, rejected, invalid-number, failed, calltaker-no-answer, calltaker-hung-up, calltaker-unreachable.", "result");

    public static readonly Gauge CallbacksOverdue = Prometheus.Metrics.CreateGauge(
        "routing_callbacks_overdue", "ALARM when above 0: callback tasks older than Callbacks:OverdueAfter without any attempt.");

    public static readonly Gauge LedgerPending = Prometheus.Metrics.CreateGauge(
        "routing_ledger_pending", "Ledger records accepted and not yet in the database (spooled or in memory).");

    public static readonly Gauge LedgerLate = Prometheus.Metrics.CreateGauge(
        "routing_ledger_late", "Ledger records whose call went on before they were written (database and spool both slow), since start.");

    public static readonly Gauge LedgerSpooled = Prometheus.Metrics.CreateGauge(
        "routing_ledger_spooled", "Ledger records fsynced to the local spool because the database was slow or away, since start.");

    public static readonly Gauge LedgerSpoolBytes = Prometheus.Metrics.CreateGauge(
        "routing_ledger_spool_bytes", "Bytes in ledger spool files now.");

    public static readonly Gauge LedgerSpoolFull = Prometheus.Metrics.CreateGauge(
        "routing_ledger_spool_full", "ALARM when above 0: ledger records the spool could not take (full or failing disk), since start; they wait in memory.");

    public static readonly Gauge LedgerReplayed = Prometheus.Metrics.CreateGauge(
        "routing_ledger_replayed", "Ledger records replayed at start from an earlier run's spool.");

    public static readonly Gauge LedgerFailures = Prometheus.Metrics.CreateGauge(
        "routing_ledger_failures", "Failed ledger batch commits (each retried), since start.");

    public static readonly Gauge LedgerChainHead = Prometheus.Metrics.CreateGauge(
        "routing_ledger_chain_head", "Position of this node's newest hash-chained ledger row.");

    public static readonly Counter CallsShed = Prometheus.Metrics.CreateCounter(
        "routing_calls_shed_total", "New callers handed to the dialplan fallback at arrival because the engine was overloaded, by the signal over its threshold.", "signal");

    public static readonly Gauge OverloadShedding = Prometheus.Metrics.CreateGauge(
        "routing_overload_shedding", "1 while the engine sheds new callers to the dialplan fallback (Overload section).");
}
