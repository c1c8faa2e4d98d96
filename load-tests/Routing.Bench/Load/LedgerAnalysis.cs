using Routing.Ledger;

namespace Routing.Bench.Load;

/// <summary>What the ledger says about one caller of the run: its outcome, and how long after its
/// arrival the first agency leg answered (both instants are the engine's own ledger timestamps).</summary>
public sealed record CallRecordSummary(string? Outcome, TimeSpan? ArrivalToAnswer, int Legs)
{
    public bool InLedger => Legs >= 0;

    public static readonly CallRecordSummary Missing = new(null, null, -1);
}

/// <summary>Reads the run's calls back from the ledger through the engine's public reader.</summary>
public static class LedgerAnalysis
{
    public static async Task<IReadOnlyDictionary<string, CallRecordSummary>> ReadAsync(
        LedgerReader ledger, IReadOnlyCollection<string> callerChannels, CancellationToken cancellationToken)
    {
        // Every call of this engine is recent: one query for the calls, one per call for its events.
        var wanted = callerChannels.ToHashSet(StringComparer.Ordinal);
        var recent = await ledger.RecentCallsAsync(Math.Max(1, wanted.Count * 2 + 100), cancellationToken);
        var result = new Dictionary<string, CallRecordSummary>(StringComparer.Ordinal);
        foreach (var stored in recent)
        {
            if (!wanted.Contains(stored.Call.CallerChannelId) || result.ContainsKey(stored.Call.CallerChannelId)) continue;
            var history = await ledger.GetCallAsync(stored.Call.CallId, cancellationToken);
            result[stored.Call.CallerChannelId] = history is null ? CallRecordSummary.Missing : Summarise(history);
        }

        foreach (var channel in wanted)
        {
            result.TryAdd(channel, CallRecordSummary.Missing);
        }

        return result;
    }

    private static CallRecordSummary Summarise(CallHistory history)
    {
        var outcome = history.Events.LastOrDefault(e => e.Event.Kind == LedgerEventKinds.Outcome)?.Event.Detail;
        var answered = history.Events.FirstOrDefault(e => e.Event.Kind == "leg.answered");
        return new CallRecordSummary(outcome, answered is null ? null : answered.Event.At - history.Call.Call.ArrivedAt, history.Legs.Count);
    }
}
