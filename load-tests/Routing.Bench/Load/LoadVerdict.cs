namespace Routing.Bench.Load;

/// <summary>The placed calls of a run: those the simulator took, those it did not (with why), and
/// how long the arrivals took from the first to the last.</summary>
public sealed record Placing(IReadOnlyList<PlacedCall> Placed, IReadOnlyList<(LoadCall Call, string Error)> Failed, TimeSpan Span);

/// <summary>
/// Judges a run's calls against the ledger: which were lost or stuck (no outcome, never recorded,
/// still up at the limit, never placed), which ended otherwise than scripted, the outcome tally per
/// caller kind, and the arrival-to-answer latencies.
/// </summary>
public static class LoadVerdict
{
    public const string AllAnswered = "all answered";
    private const int ListedAtMost = 10;

    public static (IReadOnlyList<string> Listed, int Count) Lost(Placing placing, IReadOnlyDictionary<string, CallRecordSummary> records, int liveInEngine, bool idle)
    {
        var lost = new List<string>();
        foreach (var (call, error) in placing.Failed) lost.Add($"call {call.Seq} ({call.Kind}): {error}");
        foreach (var placed in placing.Placed)
        {
            var record = records[placed.ChannelId];
            var why = !placed.Ended.IsCompletedSuccessfully ? "caller still up in the simulator at the time limit"
                : !record.InLedger ? "never recorded in the ledger"
                : record.Outcome is null ? "no outcome in the ledger"
                : null;
            if (why is not null) lost.Add($"call {placed.Call.Seq} ({placed.Call.Kind}, channel {placed.ChannelId}): {why}");
        }

        if (!idle && liveInEngine > 0) lost.Add($"{liveInEngine} call(s) still live in the engine after the limit");
        return (lost.Take(ListedAtMost).ToList(), lost.Count);
    }

    public static (IReadOnlyList<string> Listed, int Count) Unexpected(IReadOnlyList<PlacedCall> placed, IReadOnlyDictionary<string, CallRecordSummary> records)
    {
        var odd = new List<string>();
        foreach (var p in placed)
        {
            var outcome = records[p.ChannelId].Outcome;
            if (outcome is null || !p.Ended.IsCompletedSuccessfully) continue; // counted as lost
            var end = p.Ended.Result;
            if (outcome != p.Call.ExpectedOutcome)
                odd.Add($"call {p.Call.Seq} ({p.Call.Kind} {p.Call.Dialed} {p.Call.Digits}): {outcome}, expected {p.Call.ExpectedOutcome}");
            else if (p.Call.Kind == LoadCallKind.BusyPrimary && end.BridgedWith != LoadPbx.BusyTrunkBackup)
                odd.Add($"call {p.Call.Seq} (busy primary): bridged with {end.BridgedWith ?? "nobody"}, expected {LoadPbx.BusyTrunkBackup}");
        }

        return (odd.Take(ListedAtMost).ToList(), odd.Count);
    }

    /// <summary>Busy-primary calls that completed, but on another trunk than the backup.</summary>
    public static int BusyMisrouted(IReadOnlyList<PlacedCall> placed, IReadOnlyDictionary<string, CallRecordSummary> records) =>
        placed.Count(p => p.Call.Kind == LoadCallKind.BusyPrimary && records[p.ChannelId].Outcome == p.Call.ExpectedOutcome
            && p.Ended.IsCompletedSuccessfully && p.Ended.Result.BridgedWith != LoadPbx.BusyTrunkBackup);

    public static IReadOnlyList<KindTally> Tally(IReadOnlyList<PlacedCall> placed, IReadOnlyDictionary<string, CallRecordSummary> records) =>
        placed.GroupBy(p => p.Call.Kind).OrderBy(g => g.Key)
            .Select(g => new KindTally(g.Key, g.First().Call.ExpectedOutcome, g.Count(),
                g.GroupBy(p => records[p.ChannelId].Outcome ?? "(none)").ToDictionary(o => o.Key, o => o.Count(), StringComparer.Ordinal)))
            .ToList();

    public static IReadOnlyList<TimeSpan> AnswerSamples(IReadOnlyList<PlacedCall> placed, IReadOnlyDictionary<string, CallRecordSummary> records, LoadCallKind? kind = null) =>
        placed.Where(p => kind is null || p.Call.Kind == kind).Select(p => records[p.ChannelId].ArrivalToAnswer).OfType<TimeSpan>().ToList();

    public static IReadOnlyList<(string, LatencySummary?)> Latencies(IReadOnlyList<PlacedCall> placed, IReadOnlyDictionary<string, CallRecordSummary> records)
    {
        IEnumerable<TimeSpan> Of(Func<PlacedCall, bool> which) =>
            placed.Where(which).Select(p => records[p.ChannelId].ArrivalToAnswer).OfType<TimeSpan>();
        return
        [
            (AllAnswered, LatencySummary.Of(Of(_ => true))),
            ("direct 101-104 (no menu)", LatencySummary.Of(Of(p => p.Call.Kind == LoadCallKind.Direct))),
            ("112 menu (incl. prompts+digits)", LatencySummary.Of(Of(p => p.Call.Kind == LoadCallKind.MenuToAgency))),
            ("busy primary (2nd trunk)", LatencySummary.Of(Of(p => p.Call.Kind == LoadCallKind.BusyPrimary))),
        ];
    }
}
