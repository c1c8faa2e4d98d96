namespace Routing.Ledger.Reading;

/// <summary>
/// A call history search over what the journal holds and the database does not have yet: the calls it holds,
/// and the legs and outcomes it holds for calls the database has. Such a call's summary is the database's
/// completed by the journal's records, and the search's filters are applied to that whole summary, as the
/// database applies them to its rows.
/// </summary>
internal sealed class UnsettledSearch
{
    private readonly Dictionary<string, CallSummary> pendingCalls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> outcomes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> agencies = new(StringComparer.Ordinal);

    public UnsettledSearch(UnsettledRecords pending)
    {
        foreach (var leg in pending.Legs)
        {
            var list = agencies.TryGetValue(leg.Leg.CallId, out var known) ? known : agencies[leg.Leg.CallId] = [];
            if (!list.Contains(leg.Leg.Agency, StringComparer.Ordinal))
            {
                list.Add(leg.Leg.Agency);
            }
        }

        // The first outcome is the call's: the ledger refuses a second one.
        foreach (var outcome in pending.EventsOfKinds([LedgerEventKinds.Outcome]))
        {
            outcomes.TryAdd(outcome.Event.CallId, outcome.Event.Detail);
        }

        foreach (var call in pending.Calls)
        {
            pendingCalls[call.Call.CallId] = new CallSummary(call.Call, null, []);
        }
    }

    /// <summary>Every call the journal holds something of.</summary>
    public IEnumerable<string> CallIds => pendingCalls.Keys.Union(outcomes.Keys).Union(agencies.Keys);

    public bool HasCall(string callId) => pendingCalls.ContainsKey(callId);

    public IEnumerable<CallSummary> PendingCalls => pendingCalls.Values;

    /// <summary>The part of the caller's number a search asks for, as the database's LIKE takes it (its
    /// wildcards removed), or null for any number.</summary>
    public static string? NumberPart(CallSearch search) =>
        string.IsNullOrWhiteSpace(search.Number)
            ? null
            : search.Number.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);

    /// <summary>The database's matches completed by the journal, with the <paramref name="candidates"/> that
    /// match once completed, newest first, at most <paramref name="limit"/>, each call once.</summary>
    public IReadOnlyList<CallSummary> Merge(CallSearch search, IEnumerable<CallSummary> found, IEnumerable<CallSummary> candidates, int limit)
    {
        var merged = new Dictionary<string, CallSummary>(StringComparer.Ordinal);
        foreach (var summary in found)
        {
            merged.TryAdd(summary.Call.CallId, Completed(summary));
        }

        foreach (var candidate in candidates.Select(Completed).Where(c => Matches(search, c)))
        {
            merged.TryAdd(candidate.Call.CallId, candidate);
        }

        return merged.Values
            .OrderByDescending(s => s.Call.ArrivedAt)
            .ThenByDescending(s => s.Call.CallId, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }

    private CallSummary Completed(CallSummary summary)
    {
        var id = summary.Call.CallId;
        var outcome = summary.Outcome ?? outcomes.GetValueOrDefault(id);
        var dialed = agencies.TryGetValue(id, out var more)
            ? summary.Agencies.Union(more, StringComparer.Ordinal).ToList()
            : summary.Agencies;
        return summary with { Outcome = outcome, Agencies = dialed };
    }

    private static bool Matches(CallSearch search, CallSummary summary)
    {
        var call = summary.Call;
        if (NumberPart(search) is { } number && !call.CallerNumber.Contains(number, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (search.From is { } from && call.ArrivedAt < from)
        {
            return false;
        }

        if (search.To is { } to && call.ArrivedAt >= to)
        {
            return false;
        }

        if (!string.IsNullOrWhiteSpace(search.Agency) && !summary.Agencies.Contains(search.Agency.Trim(), StringComparer.Ordinal))
        {
            return false;
        }

        return string.IsNullOrWhiteSpace(search.Outcome) || string.Equals(summary.Outcome, search.Outcome.Trim(), StringComparison.Ordinal);
    }
}
