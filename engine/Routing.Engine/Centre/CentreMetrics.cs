using Prometheus;

namespace Routing.Engine.Centre;

/// <summary>The call-taker centre's metrics (issue 7 item 6). Labels are low-cardinality: group,
/// priority, state, reason, agency, kind — never a call id, a position or a caller number.</summary>
internal static class CentreMetrics
{
    /// <summary>NENA call-answering standard: 90 % within 15 s, 95 % within 20 s; 10 s is the stricter local aim.</summary>
    public static readonly int[] ServiceLevelSeconds = [10, 15, 20];

    public static readonly Gauge Waiting = Prometheus.Metrics.CreateGauge(
        "routing_centre_waiting_calls", "Calls waiting for a call-taker, by the group they wait for and priority class.", "group", "priority");

    public static readonly Gauge LongestWait = Prometheus.Metrics.CreateGauge(
        "routing_centre_longest_wait_seconds", "Longest current wait for a call-taker, by group.", "group");

    public static readonly Gauge CallTakers = Prometheus.Metrics.CreateGauge(
        "routing_centre_calltakers", "Call-taker positions in each state (unreachable devices counted apart).", "state");

    public static readonly Counter OffersUnanswered = Prometheus.Metrics.CreateCounter(
        "routing_centre_offers_unanswered_total", "Offers a position did not take, by reason.", "reason");

    public static readonly Counter Offers = Prometheus.Metrics.CreateCounter(
        "routing_centre_offers_total", "Offers made (a ring-all offer counts once per position rung).");

    public static readonly Histogram AnswerSeconds = Prometheus.Metrics.CreateHistogram(
        "routing_centre_answer_seconds", "Time from a call first joining the queue to a call-taker answering.",
        new HistogramConfiguration { Buckets = [2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180] });

    public static readonly Counter Answered = Prometheus.Metrics.CreateCounter(
        "routing_centre_answered_total", "Calls answered by a call-taker.");

    public static readonly Counter AnsweredWithin = Prometheus.Metrics.CreateCounter(
        "routing_centre_answered_within_total", "Calls answered by a call-taker within the NENA thresholds (10, 15, 20 s).", "seconds");

    public static readonly Gauge ServiceLevel = Prometheus.Metrics.CreateGauge(
        "routing_centre_service_level_ratio", "Share of calls answered by a call-taker within N seconds since start (NENA: 0.90 at 15, 0.95 at 20).", "seconds");

    public static readonly Counter AbandonedWaiting = Prometheus.Metrics.CreateCounter(
        "routing_centre_abandoned_total", "Callers who hung up while waiting for (or being offered to) a call-taker.");

    public static readonly Counter HandedToFallback = Prometheus.Metrics.CreateCounter(
        "routing_centre_fallback_total", "Calls the centre gave up on (overflow chain exhausted) and handed to the dialplan fallback.");

    public static readonly Counter Classifications = Prometheus.Metrics.CreateCounter(
        "routing_centre_classifications_total", "Call-taker classifications, by agency and kind (emergency, nonEmergency, prank, silent).", "agency", "kind");

    public static readonly Gauge NonEmergencyShare = Prometheus.Metrics.CreateGauge(
        "routing_centre_non_emergency_share_ratio", "Share of classified calls classified as not an emergency, since start.");
}

/// <summary>Running totals behind the ratio gauges (service levels, non-emergency share), kept per engine
/// (a singleton, not static state) and readable by the console and the dashboard.</summary>
internal sealed class CentreTally(Wallboard.WallboardHistory? history = null)
{
    private readonly long[] within = new long[CentreMetrics.ServiceLevelSeconds.Length];
    private long answered;
    private long classified;
    private long nonEmergency;
    private long abandoned;

    public long Answered => Interlocked.Read(ref answered);

    public long Abandoned => Interlocked.Read(ref abandoned);

    public long Classified => Interlocked.Read(ref classified);

    public long NonEmergency => Interlocked.Read(ref nonEmergency);

    /// <summary>Share answered within <see cref="CentreMetrics.ServiceLevelSeconds"/>[i]; null before the first answer.</summary>
    public double? ServiceLevel(int index)
    {
        var total = Answered;
        return total == 0 ? null : (double)Interlocked.Read(ref within[index]) / total;
    }

    /// <param name="at">When the answer was put on the ledger (the wallboard's history counts it in that minute).</param>
    public void RecordAnswered(TimeSpan waited, DateTimeOffset? at = null)
    {
        history?.RecordAnswered(waited, at);
        var seconds = Math.Max(0, waited.TotalSeconds);
        CentreMetrics.AnswerSeconds.Observe(seconds);
        CentreMetrics.Answered.Inc();
        var total = Interlocked.Increment(ref answered);
        for (var i = 0; i < within.Length; i++)
        {
            var threshold = CentreMetrics.ServiceLevelSeconds[i];
            var label = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
            long count;
            if (seconds <= threshold)
            {
                count = Interlocked.Increment(ref within[i]);
                CentreMetrics.AnsweredWithin.WithLabels(label).Inc();
            }
            else
            {
                count = Interlocked.Read(ref within[i]);
            }

            CentreMetrics.ServiceLevel.WithLabels(label).Set((double)count / total);
        }
    }

    public void RecordAbandoned()
    {
        Interlocked.Increment(ref abandoned);
        CentreMetrics.AbandonedWaiting.Inc();
    }

    public void RecordClassification(string agency, string kind, bool isNonEmergency)
    {
        CentreMetrics.Classifications.WithLabels(agency, kind).Inc();
        var total = Interlocked.Increment(ref classified);
        var non = isNonEmergency ? Interlocked.Increment(ref nonEmergency) : Interlocked.Read(ref nonEmergency);
        CentreMetrics.NonEmergencyShare.Set((double)non / total);
    }
}
