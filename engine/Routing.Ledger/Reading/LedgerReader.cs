using Dapper;
using Routing.Calls.Ports;
using Routing.Ledger.Storage;

namespace Routing.Ledger;

/// <summary>Read-only queries for the engine (reconciliation, re-adoption), the admin API and tests.
/// Database errors propagate: an empty answer always means "nothing recorded".</summary>
public sealed class LedgerReader(LedgerConnectionFactory connections)
{
    private const string CallColumns =
        "c.call_id AS CallId, c.caller_channel_id AS CallerChannelId, c.caller_number AS CallerNumber, " +
        "c.dialed_number AS DialedNumber, c.entry AS Entry, c.arrived_at AS ArrivedAt, c.node_id AS NodeId";

    private ILedgerDialect Dialect => connections.Dialect;

    private string P(string name) => Dialect.Parameter(name);

    /// <summary>The call with its legs and events (ordered by seq), or null if never recorded.</summary>
    public async Task<CallHistory?> GetCallAsync(string callId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var call = (await connection.QueryAsync<CallRow>(new CommandDefinition(
            $"SELECT {CallColumns} FROM calls c WHERE c.call_id = {P("CallId")}",
            new { CallId = callId }, cancellationToken: cancellationToken))).SingleOrDefault();
        if (call is null)
        {
            return null;
        }

        var legs = await connection.QueryAsync<LegRow>(new CommandDefinition(
            "SELECT leg_id AS LegId, call_id AS CallId, channel_id AS ChannelId, agency AS Agency, region AS Region, " +
            "trunk AS Trunk, endpoint AS Endpoint, attempt AS Attempt, planned_at AS PlannedAt, node_id AS NodeId " +
            $"FROM legs WHERE call_id = {P("CallId")} ORDER BY attempt, planned_at, leg_id",
            new { CallId = callId }, cancellationToken: cancellationToken));
        var events = await connection.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT seq AS Seq, event_id AS EventId, call_id AS CallId, leg_id AS LegId, at AS At, kind AS Kind, " +
            $"detail AS Detail, node_id AS NodeId FROM call_events WHERE call_id = {P("CallId")} ORDER BY seq",
            new { CallId = callId }, cancellationToken: cancellationToken));

        return new CallHistory(ToStored(call), legs.Select(ToStored).ToList(), events.Select(ToStored).ToList());
    }

    /// <summary>Events recorded under <paramref name="storyId"/> in ledger order, newest <paramref name="limit"/>
    /// of them. For stories that are not calls: a call-taker position's log in, pauses and states are
    /// recorded under <c>position:&lt;id&gt;</c> (docs/operator-api.md).</summary>
    public async Task<IReadOnlyList<StoredEvent>> EventsOfAsync(string storyId, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(storyId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var (afterSelect, atEnd) = Dialect.RowLimit("Limit");
        await using var connection = await connections.OpenAsync(cancellationToken);
        var events = await connection.QueryAsync<EventRow>(new CommandDefinition(
            $"SELECT {afterSelect}seq AS Seq, event_id AS EventId, call_id AS CallId, leg_id AS LegId, at AS At, kind AS Kind, " +
            $"detail AS Detail, node_id AS NodeId FROM call_events WHERE call_id = {P("CallId")} ORDER BY seq DESC{atEnd}",
            new { CallId = storyId, Limit = limit }, cancellationToken: cancellationToken));
        return events.Select(ToStored).Reverse().ToList();
    }

    /// <summary>Calls whose caller channel is <paramref name="channelId"/>, newest first (normally one;
    /// channel ids are unique per Asterisk, not across several).</summary>
    public async Task<IReadOnlyList<StoredCall>> FindByCallerChannelAsync(string channelId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        return await QueryCallsAsync(
            $"SELECT {CallColumns} FROM calls c WHERE c.caller_channel_id = {P("ChannelId")} ORDER BY c.arrived_at DESC, c.call_id DESC",
            new { ChannelId = channelId }, cancellationToken);
    }

    /// <summary>Calls without an outcome event, oldest first: what a restarted engine must re-adopt or close.</summary>
    public Task<IReadOnlyList<StoredCall>> ListOpenCallsAsync(CancellationToken cancellationToken) =>
        QueryCallsAsync(
            $"SELECT {CallColumns} FROM calls c WHERE NOT EXISTS (SELECT 1 FROM call_events e " +
            $"WHERE e.call_id = c.call_id AND e.kind = '{LedgerEventKinds.Outcome}') ORDER BY c.arrived_at, c.call_id",
            null, cancellationToken);

    /// <summary>Outcome events at or after <paramref name="since"/>, counted by outcome name (the event's detail).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountOutcomesAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutcomeCount>(new CommandDefinition(
            $"SELECT detail AS Outcome, COUNT(*) AS Count FROM call_events WHERE kind = '{LedgerEventKinds.Outcome}' " +
            $"AND at >= {P("Since")} GROUP BY detail",
            new { Since = Dialect.ToDatabase(since) }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Outcome, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>Every event of one kind (e.g. <c>recording.stored</c>), in ledger order.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ListEventsOfKindAsync(string kind, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var events = await connection.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT seq AS Seq, event_id AS EventId, call_id AS CallId, leg_id AS LegId, at AS At, kind AS Kind, " +
            $"detail AS Detail, node_id AS NodeId FROM call_events WHERE kind = {P("Kind")} ORDER BY seq",
            new { Kind = kind }, cancellationToken: cancellationToken));
        return events.Select(ToStored).ToList();
    }

    /// <summary>Events of one of <paramref name="kinds"/> at or after <paramref name="since"/>, in ledger
    /// order, at most <paramref name="limit"/> (the newest ones).</summary>
    public async Task<IReadOnlyList<StoredEvent>> EventsOfKindsSinceAsync(IReadOnlyCollection<string> kinds, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (kinds.Count == 0)
        {
            return [];
        }

        var (afterSelect, atEnd) = Dialect.RowLimit("Limit");
        var names = kinds.Select((_, i) => P("Kind" + i)).ToList();
        var parameters = new DynamicParameters(new { Since = Dialect.ToDatabase(since), Limit = limit });
        var index = 0;
        foreach (var kind in kinds)
        {
            parameters.Add("Kind" + index++, kind);
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var events = await connection.QueryAsync<EventRow>(new CommandDefinition(
            $"SELECT {afterSelect}seq AS Seq, event_id AS EventId, call_id AS CallId, leg_id AS LegId, at AS At, kind AS Kind, " +
            $"detail AS Detail, node_id AS NodeId FROM call_events WHERE kind IN ({string.Join(", ", names)}) AND at >= {P("Since")} ORDER BY seq DESC{atEnd}",
            parameters, cancellationToken: cancellationToken));
        return events.Select(ToStored).Reverse().ToList();
    }

    /// <summary>Calls matching every given filter, newest first, at most <paramref name="limit"/>, each with
    /// its outcome (null while open) and the agencies its legs dialed. <c>Number</c> matches a part of the
    /// caller's number; <c>Agency</c> a leg's agency; <c>Outcome</c> the outcome event's name.</summary>
    public async Task<IReadOnlyList<CallSummary>> SearchCallsAsync(CallSearch search, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var (afterSelect, atEnd) = Dialect.RowLimit("Limit");
        var where = new List<string>();
        var parameters = new DynamicParameters(new { Limit = limit });
        if (!string.IsNullOrWhiteSpace(search.Number))
        {
            where.Add($"c.caller_number LIKE {P("Number")}");
            parameters.Add("Number", "%" + search.Number.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) + "%");
        }

        if (search.From is { } from)
        {
            where.Add($"c.arrived_at >= {P("From")}");
            parameters.Add("From", Dialect.ToDatabase(from));
        }

        if (search.To is { } to)
        {
            where.Add($"c.arrived_at < {P("To")}");
            parameters.Add("To", Dialect.ToDatabase(to));
        }

        if (!string.IsNullOrWhiteSpace(search.Agency))
        {
            where.Add($"EXISTS (SELECT 1 FROM legs l WHERE l.call_id = c.call_id AND l.agency = {P("Agency")})");
            parameters.Add("Agency", search.Agency.Trim());
        }

        if (!string.IsNullOrWhiteSpace(search.Outcome))
        {
            where.Add($"EXISTS (SELECT 1 FROM call_events o WHERE o.call_id = c.call_id AND o.kind = '{LedgerEventKinds.Outcome}' AND o.detail = {P("Outcome")})");
            parameters.Add("Outcome", search.Outcome.Trim());
        }

        var sql = $"SELECT {afterSelect}{CallColumns}, " +
            $"(SELECT MAX(o.detail) FROM call_events o WHERE o.call_id = c.call_id AND o.kind = '{LedgerEventKinds.Outcome}') AS Outcome " +
            $"FROM calls c{(where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where))} ORDER BY c.arrived_at DESC, c.call_id DESC{atEnd}";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<SummaryRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        var agencies = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (rows.Count > 0)
        {
            var legs = await connection.QueryAsync<(string CallId, string Agency)>(new CommandDefinition(
                $"SELECT DISTINCT l.call_id AS CallId, l.agency AS Agency FROM legs l WHERE l.call_id IN ({string.Join(", ", rows.Select((_, i) => P("Call" + i)))})",
                Ids(rows), cancellationToken: cancellationToken));
            foreach (var (callId, agency) in legs)
            {
                (agencies.TryGetValue(callId, out var list) ? list : agencies[callId] = []).Add(agency);
            }
        }

        return rows.Select(r => new CallSummary(ToStored(r).Call, r.Outcome, agencies.TryGetValue(r.CallId, out var a) ? a : [])).ToList();
    }

    private static DynamicParameters Ids(IReadOnlyList<SummaryRow> rows)
    {
        var parameters = new DynamicParameters();
        for (var i = 0; i < rows.Count; i++)
        {
            parameters.Add("Call" + i, rows[i].CallId);
        }

        return parameters;
    }

    /// <summary>The <paramref name="limit"/> most recently arrived calls, newest first.</summary>
    public async Task<IReadOnlyList<StoredCall>> RecentCallsAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var (afterSelect, atEnd) = Dialect.RowLimit("Limit");
        return await QueryCallsAsync(
            $"SELECT {afterSelect}{CallColumns} FROM calls c ORDER BY c.arrived_at DESC, c.call_id DESC{atEnd}",
            new { Limit = limit }, cancellationToken);
    }

    /// <summary>Records the database refused for good (see <see cref="LedgerStats.Rejected"/>), newest first.</summary>
    public async Task<IReadOnlyList<RejectedRecord>> ListRejectedAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var (afterSelect, atEnd) = Dialect.RowLimit("Limit");
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RejectedRow>(new CommandDefinition(
            $"SELECT {afterSelect}seq AS Seq, record_key AS RecordKey, record_type AS RecordType, call_id AS CallId, payload AS Payload, " +
            $"error AS Error, rejected_at AS RejectedAt, node_id AS NodeId FROM rejected_records ORDER BY seq DESC{atEnd}",
            new { Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new RejectedRecord(
            r.Seq, r.RecordKey, r.RecordType, r.CallId, r.Payload, r.Error, Dialect.FromDatabase(r.RejectedAt), r.NodeId)).ToList();
    }

    /// <summary>Events of callback tasks (kinds <c>callback.*</c>) in ledger order, with the caller's number:
    /// of every task, of the tasks not closed (<paramref name="openOnly"/>), or of one call.</summary>
    public async Task<IReadOnlyList<StoredCallbackEvent>> CallbackEventsAsync(bool openOnly, string? callId, CancellationToken cancellationToken)
    {
        var kinds = string.Join(", ", Routing.Calls.Callbacks.CallbackEventKinds.All.Select(k => $"'{k}'"));
        var where = $"e.kind IN ({kinds})";
        if (openOnly)
        {
            where += $" AND NOT EXISTS (SELECT 1 FROM call_events x WHERE x.call_id = e.call_id AND x.kind = '{Routing.Calls.Callbacks.CallbackEventKinds.Closed}')";
        }

        if (callId is not null)
        {
            where += $" AND e.call_id = {P("CallId")}";
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CallbackEventRow>(new CommandDefinition(
            "SELECT e.call_id AS CallId, COALESCE(c.caller_number, '') AS CallerNumber, e.kind AS Kind, e.detail AS Detail, e.at AS At " +
            $"FROM call_events e LEFT JOIN calls c ON c.call_id = e.call_id WHERE {where} ORDER BY e.seq",
            new { CallId = callId }, cancellationToken: cancellationToken));
        return rows.Select(r => new StoredCallbackEvent(r.CallId, r.CallerNumber, r.Kind, r.Detail, Dialect.FromDatabase(r.At))).ToList();
    }

    private async Task<IReadOnlyList<StoredCall>> QueryCallsAsync(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CallRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.Select(ToStored).ToList();
    }

    private StoredCall ToStored(CallRow row) => new(
        new CallRecord(row.CallId, row.CallerChannelId, row.CallerNumber, row.DialedNumber, row.Entry, Dialect.FromDatabase(row.ArrivedAt)),
        row.NodeId);

    private StoredLeg ToStored(LegRow row) => new(
        new LegRecord(row.LegId, row.CallId, row.ChannelId, row.Agency, row.Region, row.Trunk, row.Endpoint,
            checked((int)row.Attempt), Dialect.FromDatabase(row.PlannedAt)),
        row.NodeId);

    private StoredEvent ToStored(EventRow row) => new(
        row.Seq, row.EventId,
        new CallEventRecord(row.CallId, row.LegId, Dialect.FromDatabase(row.At), row.Kind, row.Detail),
        row.NodeId);

    // Instants are read as object: each provider returns its own type (text, DateTime, DateTimeOffset)
    // and the dialect turns it back into an instant; no global Dapper type handler is needed.
    private class CallRow
    {
        public string CallId { get; set; } = "";
        public string CallerChannelId { get; set; } = "";
        public string CallerNumber { get; set; } = "";
        public string DialedNumber { get; set; } = "";
        public string Entry { get; set; } = "";
        public object ArrivedAt { get; set; } = "";
        public string NodeId { get; set; } = "";
    }

    private sealed class SummaryRow : CallRow
    {
        public string? Outcome { get; set; }
    }

    private sealed class LegRow
    {
        public string LegId { get; set; } = "";
        public string CallId { get; set; } = "";
        public string ChannelId { get; set; } = "";
        public string Agency { get; set; } = "";
        public string Region { get; set; } = "";
        public string Trunk { get; set; } = "";
        public string Endpoint { get; set; } = "";
        public long Attempt { get; set; }
        public object PlannedAt { get; set; } = "";
        public string NodeId { get; set; } = "";
    }

    private sealed class EventRow
    {
        public long Seq { get; set; }
        public string EventId { get; set; } = "";
        public string CallId { get; set; } = "";
        public string? LegId { get; set; }
        public object At { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Detail { get; set; } = "";
        public string NodeId { get; set; } = "";
    }

    private sealed class RejectedRow
    {
        public long Seq { get; set; }
        public string RecordKey { get; set; } = "";
        public string RecordType { get; set; } = "";
        public string CallId { get; set; } = "";
        public string Payload { get; set; } = "";
        public string Error { get; set; } = "";
        public object RejectedAt { get; set; } = "";
        public string NodeId { get; set; } = "";
    }

    private sealed class CallbackEventRow
    {
        public string CallId { get; set; } = "";
        public string CallerNumber { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Detail { get; set; } = "";
        public object At { get; set; } = "";
    }

    private sealed class OutcomeCount
    {
        public string Outcome { get; set; } = "";
        public long Count { get; set; }
    }
}
