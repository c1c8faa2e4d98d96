using Prometheus;

namespace Routing.Engine.Text;

/// <summary>Text sessions' metrics. Labels are low-cardinality (direction, reason, outcome) — never a number or a session.</summary>
internal static class TextMetrics
{
    public static readonly Counter Messages = Prometheus.Metrics.CreateCounter(
        "routing_text_messages_total", "Text messages handled, by direction (in, out, agency).", "direction");

    public static readonly Counter Dropped = Prometheus.Metrics.CreateCounter(
        "routing_text_messages_dropped_total", "Incoming text messages not handled, by reason (flood, empty, full, unknown-endpoint).", "reason");

    public static readonly Counter SendFailures = Prometheus.Metrics.CreateCounter(
        "routing_text_send_failures_total", "Outgoing MESSAGEs Asterisk refused or never took.");

    public static readonly Counter Closed = Prometheus.Metrics.CreateCounter(
        "routing_text_sessions_closed_total", "Text sessions closed, by outcome.", "outcome");

    public static readonly Gauge Open = Prometheus.Metrics.CreateGauge(
        "routing_text_sessions_open", "Text sessions open now.");
}
