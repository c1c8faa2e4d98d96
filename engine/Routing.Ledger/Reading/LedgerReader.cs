using Dapper;
using Routing.Calls.Ports;
using Routing.Ledger.Reading;
using Routing.Ledger.Storage;
using LedgerRow = Routing.Ledger.Writing.LedgerRow;

namespace Routing.Ledger;

/// <summary>Read-only queries for the engine (reconciliation, re-adoption), the admin API and tests.
/// Database errors propagate: an empty answer always means "nothing recorded".
/// <para>
/// Read after write: a record is written once the database committed it OR the spool fsynced it, so
/// the reader of an open ledger tells what was written, not only what the database has: the questions
/// the engine decides on — <see cref="GetCallAsync"/>, <see cref="EventsOfAsync"/>,
/// <see cref="FindByCallerChannelAsync"/>, <see cref="ListOpenCallsAsync"/>, <see cref="ListEventsOfKindAsync"/>,
/// <see cref="CallbackEventsAsync"/> — and what people are shown — <see cref="SearchCallsAsync"/> (the call card's
/// earlier calls of the same number), <see cref="RecentCallsAsync"/>, <see cref="CountOutcomesAsync"/> — also read
/// the journal's records not yet in the database (waiting, spooled, or an earlier run's spool not yet replayed),
/// each once. The wallboard's history at start reads the database once the spool replay is in. The journal's records are taken before the
/// database is asked, so a record committed in between is seen (once), never missed.
/// </para></summary>
public sealed class LedgerReader
{
    private readonly LedgerConnectionFactory connections;
    private readonly Func<IReadOnlyList<LedgerRow>> unsettled;

    /// <summary>A reader of the database alone (the command line: no journal runs there).</summary>
    public LedgerReader(LedgerConnectionFactory connections)
        : this(connections, () => [])
    {
    }

    /// <param name="unsettled">The journal's records not yet in the database, in acceptance order.</param>
    internal LedgerReader(LedgerConnectionFactory connections, Func<IReadOnlyList<LedgerRow>> unsettled)
    {
        this.connections = connections;
        this.unsettled = unsettled;
    }

    private const string CallColumns =
        "c.call_id AS CallId, c.caller_channel_id AS CallerChannelId, c.caller_number AS CallerNumber, " +
        "c.dialed_number AS DialedNumber, c.entry AS Entry, c.arrived_at AS ArrivedAt, c.node_id AS NodeId";

    private ILedgerDialect Dialect => connections.Dialect;

    private string P(string name) => Dialect.Parameter(name);

    /// <summary>Taken before the database is asked (see the class remarks).</summary>
    private UnsettledRecords Unsettled()
    {
        var rows = unsettled();
        return rows.Count == 0 ? UnsettledRecords.None : new UnsettledRecords(rows, Dialect);
    }

    /// <summary>The call with its legs and events (ordered by seq), or null if never recorded.</summary>
    public async Task<CallHistory?> GetCallAsync(string callId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        var pending = Unsettled();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = (await connection.QueryAsync<CallRow>(new CommandDefinition(
            $"SELECT {CallColumns} FROM calls c WHERE c.call_id = {P("CallId")}",
            new { CallId = callId }, cancellationToken: cancellationToken))).SingleOrDefault();
        var call = row is null ? pending.Call(callId) : ToStored(row);
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

        return new CallHistory(
            call,
            Merge(legs.Select(ToStored), pending.LegsOf(callId), l => l.Leg.LegId),
            Merge(events.Select(ToStored), pending.EventsOf(callId), e => e.EventId));
    }

    /// <summary>Events recorded under <paramref name="storyId"/> in ledger order, newest <paramref name="limit"/>
    /// of them. For stories that are not calls: a call-taker position's log in, pauses and states are
    /// recorded under <c>position:&lt;id&gt;</c> (docs/operator-api.md).</summary>
    public async Task<IReadOnlyList<StoredEvent>> EventsOfAsync(string storyId, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(storyId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var pending = Unsettled();
        var (afterSelect, atEnd) = Dialect.RowLimit("Limit");
        await using var connection = await connections.OpenAsync(cancellationToken);
        var events = await connection.QueryAsync<EventRow>(new CommandDefinition(
            $"SELECT {afterSelect}seq AS Seq, event_id AS EventId, call_id AS CallId, leg_id AS LegId, at AS At, kind AS Kind, " +
            $"detail AS Detail, node_id AS NodeId FROM call_events WHERE call_id = {P("CallId")} ORDER BY seq DESC{atEnd}",
            new { CallId = storyId, Limit = limit }, cancellationToken: cancellationToken));
        var merged = Merge(events.Select(ToStored).Reverse(), pending.EventsOf(storyId), e => e.EventId);
        return merged.Count > limit ? merged.Skip(merged.Count - limit).ToList() : merged;
    }

    /// <summary>Calls whose caller channel is <paramref name="channelId"/>, newest first (normally one;
    /// channel ids are unique per Asterisk, not across several).</summary>
    public async Task<IReadOnlyList<StoredCall>> FindByCallerChannelAsync(string channelId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        var pending = Unsettled();
        var stored = await QueryCallsAsync(
            $"SELECT {CallColumns} FROM calls c WHERE c.caller_channel_id = {P("ChannelId")} ORDER BY c.arrived_at DESC, c.call_id DESC",
            new { ChannelId = channelId }, cancellationToken);
        var merged = Merge(stored, pending.CallsOnChannel(channelId), c => c.Call.CallId);
        return merged.Count == stored.Count
            ? stored
            : merged.OrderByDescending(c => c.Call.ArrivedAt).ThenByDescending(c => c.Call.CallId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Calls without an outcome event, oldest first: what a restarted engine must re-adopt or close.</summary>
    public async Task<IReadOnlyList<StoredCall>> ListOpenCallsAsync(CancellationToken cancellationToken)
    {
        var pending = Unsettled();
        var stored = await QueryCallsAsync(
            $"SELECT {CallColumns} FROM calls c WHERE NOT EXISTS (SELECT 1 FROM call_events e " +
            $"WHERE e.call_id = c.call_id AND e.kind = '{LedgerEventKinds.Outcome}') ORDER BY c.arrived_at, c.call_id",
            null, cancellationToken);
        if (pending.IsEmpty)
        {
            return stored;
        }

        // Closed by an outcome not yet in the database; or only in the journal, unless the database has its outcome.
        var closed = pending.CallsWithEvent(LedgerEventKinds.Outcome);
        var listed = stored.Select(c => c.Call.CallId).ToHashSet(StringComparer.Ordinal);
        var candidates = pending.Calls.Where(c => !listed.Contains(c.Call.CallId) && !closed.Contains(c.Call.CallId)).ToList();
        closed.UnionWith(await CallsWithEventAsync(LedgerEventKinds.Outcome, candidates.Select(c => c.Call.CallId).ToList(), cancellationToken));
        return stored.Concat(candidates)
            .Where(c => !closed.Contains(c.Call.CallId))
            .OrderBy(c => c.Call.ArrivedAt).ThenBy(c => c.Call.CallId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Outcome events at or after <paramref name="since"/>, counted by outcome name (the event's detail),
    /// the journal's not yet in the database included.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountOutcomesAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var pending = Unsettled().EventsOfKinds([LedgerEventKinds.Outcome]).Where(e => e.Event.At >= since).ToList();
        Dictionary<string, long> counts;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            var rows = await connection.QueryAsync<OutcomeCount>(new CommandDefinition(
                $"SELECT detail AS Outcome, COUNT(*) AS Count FROM call_events WHERE kind = '{LedgerEventKinds.Outcome}' " +
                $"AND at >= {P("Since")} GROUP BY detail",
                new { Since = Dialect.ToDatabase(since) }, cancellationToken: cancellationToken));
            counts = rows.ToDictionary(r => r.Outcome, r => r.Count, StringComparer.Ordinal);
        }

        // A call has one outcome: one the database already has for that call (this record, committed since the
        // snapshot, or a second one the chain refused) is counted there.
        var inDatabase = await CallsWithEventAsync(LedgerEventKinds.Outcome, pending.Select(e => e.Event.CallId).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        foreach (var outcome in pending.Where(e => !inDatabase.Contains(e.Event.CallId)).DistinctBy(e => e.Event.CallId, StringComparer.Ordinal))
        {
            counts[outcome.Event.Detail] = counts.GetValueOrDefault(outcome.Event.Detail) + 1;
        }

        return counts;
    }

    /// <summary>Every event of one kind (e.g. <c>recording.stored</c>), in ledger order.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ListEventsOfKindAsync(string kind, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var pending = Unsettled();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var events = await connection.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT seq AS Seq, event_id AS EventId, call_id AS CallId, leg_id AS LegId, at AS At, kind AS Kind, " +
            $"detail AS Detail, node_id AS NodeId FROM call_events WHERE kind = {P("Kind")} ORDER BY seq",
            new { Kind = kind }, cancellationToken: cancellationToken));
        return Merge(events.Select(ToStored), pending.EventsOfKinds([kind]), e => e.EventId);
    }

    /// <summary>Events of one of <paramref name="kinds"/> at or after <paramref name="since"/>, in ledger
    /// order, at most <paramref name="limit"/> (the newest ones), the journal's not yet in the database last.</summary>
    public async Task<IReadOnlyList<StoredEvent>> EventsOfKindsSinceAsync(IReadOnlyCollection<string> kinds, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (kinds.Count == 0)
        {
            return [];
        }

        var held = Unsettled();
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
        var pending = held.EventsOfKinds(kinds).Where(e => e.Event.At >= since);
        var merged = Merge(events.Select(ToStored).Reverse(), pending, e => e.EventId);
        return merged.Count <= limit ? merged : merged.GetRange(merged.Count - limit, limit);
    }

    /// <summary>Events of <paramref name="kind"/> with <paramref name="from"/> &lt;= at &lt; <paramref name="to"/>
    /// and, if given, a detail starting with <paramref name="detailPrefix"/> (compared as SQL LIKE does: exact on
    /// PostgreSQL and SQL Server's usual collations, ASCII case-insensitive on SQLite), at most
    /// <paramref name="limit"/> of them (the newest), oldest first. Only the instant and the detail are read.</summary>
    public async Task<IReadOnlyList<EventFact>> EventFactsAsync(string kind, string? detailPrefix, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (detailPrefix is not null && detailPrefix.IndexOfAny(['%', '_', '[', ']', '\\']) >= 0)
        {
            // A LIKE wildcard would widen the match, and each provider escapes differently: refuse rather than guess.
            throw new ArgumentException($"detail prefix '{detailPrefix}' holds a LIKE wildcard (% _ [ ] \\)", nameof(detailPrefix));
        }

        var parameters = new DynamicParameters(new { Kind = kind, From = Dialect.ToDatabase(from), To = Dialect.ToDatabase(to), Limit = limit });
        if (!string.IsNullOrEmpty(detailPrefix))
        {
            parameters.Add("Prefix", detailPrefix + "%");
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FactRow>(new CommandDefinition(
            EventFactsSql(Dialect, withPrefix: !string.IsNullOrEmpty(detailPrefix)), parameters, cancellationToken: cancellationToken));
        return rows.Select(r => new EventFact(Dialect.FromDatabase(r.At), r.Detail)).Reverse().ToList();
    }

    /// <summary>The statement of <see cref="EventFactsAsync"/> (parameters Kind, From, To, Limit and, with a prefix,
    /// Prefix). Migration 0004's index on (kind, at) answers it without scanning call_events or sorting.</summary>
    internal static string EventFactsSql(ILedgerDialect dialect, bool withPrefix)
    {
        var (afterSelect, atEnd) = dialect.RowLimit("Limit");
        var p = dialect.Parameter;
        return $"SELECT {afterSelect}at AS At, detail AS Detail FROM call_events WHERE kind = {p("Kind")} AND at >= {p("From")} AND at < {p("To")}" +
            $"{(withPrefix ? $" AND detail LIKE {p("Prefix")}" : "")} ORDER BY at DESC, seq DESC{atEnd}";
    }

    /// <summary>Events of <paramref name="kind"/> with <paramref name="from"/> &lt;= at &lt; <paramref name="to"/> of the
    /// calls that never had an event of <paramref name="unlessKind"/>, each with the instant its call first had an event of
    /// <paramref name="sinceKind"/> (or, without one, the call's arrival), at most <paramref name="limit"/> (the newest),
    /// oldest first. What a ledger written before <paramref name="unlessKind"/> existed tells of the same span
    /// (the wallboard: answers from <c>calltaker.joined</c> since <c>queue.entered</c>, where no <c>queue.answered</c>).</summary>
    public async Task<IReadOnlyList<EventSpanFact>> EventSpanFactsAsync(string kind, string sinceKind, string unlessKind, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(sinceKind);
        ArgumentException.ThrowIfNullOrEmpty(unlessKind);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var parameters = new { Kind = kind, SinceKind = sinceKind, UnlessKind = unlessKind, From = Dialect.ToDatabase(from), To = Dialect.ToDatabase(to), Limit = limit, One = 1 };
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SpanFactRow>(new CommandDefinition(EventSpanFactsSql(Dialect), parameters, cancellationToken: cancellationToken));
        return rows.Select(r => new EventSpanFact(Dialect.FromDatabase(r.At), r.Detail, r.Since is null or DBNull ? null : Dialect.FromDatabase(r.Since))).Reverse().ToList();
    }

    /// <summary>The statement of <see cref="EventSpanFactsAsync"/> (parameters Kind, SinceKind, UnlessKind, From, To,
    /// Limit, One = 1): the events by (kind, at) as <see cref="EventFactsSql"/>, each call's other events by its
    /// (call_id, seq) index. The call's first earlier event is its first in ledger order rather than MIN(at): SQLite,
    /// without statistics, would answer a MIN(at) by walking every event of that kind in the (kind, at) index.</summary>
    internal static string EventSpanFactsSql(ILedgerDialect dialect)
    {
        var (afterSelect, atEnd) = dialect.RowLimit("Limit");
        var (firstAfterSelect, firstAtEnd) = dialect.RowLimit("One");
        var p = dialect.Parameter;
        return $"SELECT {afterSelect}e.at AS At, e.detail AS Detail, " +
            $"COALESCE((SELECT {firstAfterSelect}s.at FROM call_events s WHERE s.call_id = e.call_id AND s.kind = {p("SinceKind")} ORDER BY s.seq{firstAtEnd}), " +
            "(SELECT c.arrived_at FROM calls c WHERE c.call_id = e.call_id)) AS Since " +
            $"FROM call_events e WHERE e.kind = {p("Kind")} AND e.at >= {p("From")} AND e.at < {p("To")} " +
            $"AND NOT EXISTS (SELECT 1 FROM call_events u WHERE u.call_id = e.call_id AND u.kind = {p("UnlessKind")}) " +
            $"ORDER BY e.at DESC, e.seq DESC{atEnd}";
    }

    /// <summary>Calls matching every given filter, newest first, at most <paramref name="limit"/>, each with
    /// its outcome (null while open) and the agencies its legs dialed. <c>Number</c> matches a part of the
    /// caller's number; <c>Agency</c> a leg's agency; <c>Outcome</c> the outcome event's name. The journal's
    /// records not yet in the database count: a repeat caller's earlier call is on the call card while the
    /// database is away.</summary>
    public async Task<IReadOnlyList<CallSummary>> SearchCallsAsync(CallSearch search, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var pending = Unsettled();
        var (afterSelect, atEnd) = Dialect.RowLimit("Limit");
        var where = new List<string>();
        var parameters = new DynamicParameters(new { Limit = limit });
        if (UnsettledSearch.NumberPart(search) is { } number)
        {
            where.Add($"c.caller_number LIKE {P("Number")}");
            parameters.Add("Number", "%" + number + "%");
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

        var sql = $"SELECT {afterSelect}{SummaryColumns} " +
            $"FROM calls c{(where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where))} ORDER BY c.arrived_at DESC, c.call_id DESC{atEnd}";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<SummaryRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        var found = await SummariesAsync(connection, rows, cancellationToken);
        if (pending.IsEmpty)
        {
            return found;
        }

        // Calls the journal holds, or whose legs or outcome it holds: their whole summary decides whether they match.
        var touched = new UnsettledSearch(pending);
        var fromDatabase = touched.CallIds.Where(id => !touched.HasCall(id) && found.All(f => f.Call.CallId != id)).ToList();
        var more = new List<SummaryRow>();
        foreach (var chunk in fromDatabase.Chunk(IdsPerQuery))
        {
            var (names, ids) = IdParameters(chunk);
            more.AddRange(await connection.QueryAsync<SummaryRow>(new CommandDefinition(
                $"SELECT {SummaryColumns} FROM calls c WHERE c.call_id IN ({names})", ids, cancellationToken: cancellationToken)));
        }

        var candidates = (await SummariesAsync(connection, more, cancellationToken)).Concat(touched.PendingCalls);
        return touched.Merge(search, found, candidates, limit);
    }

    private const string SummaryColumns = CallColumns + ", " +
        "(SELECT MAX(o.detail) FROM call_events o WHERE o.call_id = c.call_id AND o.kind = '" + LedgerEventKinds.Outcome + "') AS Outcome";

    /// <summary>The rows as summaries, with the agencies their legs dialed.</summary>
    private async Task<List<CallSummary>> SummariesAsync(System.Data.Common.DbConnection connection, IReadOnlyList<SummaryRow> rows, CancellationToken cancellationToken)
    {
        var agencies = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var chunk in rows.Chunk(IdsPerQuery))
        {
            var (names, ids) = IdParameters(chunk.Select(r => r.CallId).ToList());
            var legs = await connection.QueryAsync<(string CallId, string Agency)>(new CommandDefinition(
                $"SELECT DISTINCT l.call_id AS CallId, l.agency AS Agency FROM legs l WHERE l.call_id IN ({names})",
                ids, cancellationToken: cancellationToken));
            foreach (var (callId, agency) in legs)
            {
                (agencies.TryGetValue(callId, out var list) ? list : agencies[callId] = []).Add(agency);
            }
        }

        return rows.Select(r => new CallSummary(ToStored(r).Call, r.Outcome, agencies.TryGetValue(r.CallId, out var a) ? a : [])).ToList();
    }

    /// <summary>The <paramref name="limit"/> most recently arrived calls, newest first, the journal's not yet
    /// in the database included.</summary>
    public async Task<IReadOnlyList<StoredCall>> RecentCallsAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var pending = Unsettled();
        var (afterSelect, atEnd) = Dialect.RowLimit("Limit");
        var stored = await QueryCallsAsync(
            $"SELECT {afterSelect}{CallColumns} FROM calls c ORDER BY c.arrived_at DESC, c.call_id DESC{atEnd}",
            new { Limit = limit }, cancellationToken);
        return pending.IsEmpty
            ? stored
            : Merge(stored, pending.Calls, c => c.Call.CallId)
                .OrderByDescending(c => c.Call.ArrivedAt).ThenByDescending(c => c.Call.CallId, StringComparer.Ordinal)
                .Take(limit).ToList();
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
        var pending = Unsettled();
        var stored = await StoredCallbackEventsAsync(openOnly, callId, cancellationToken);
        if (!pending.HasEvents)
        {
            return stored.Select(e => e.Event).ToList();
        }

        var inDatabase = stored.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        var added = pending.EventsOfKinds(Routing.Calls.Callbacks.CallbackEventKinds.All)
            .Where(e => (callId is null || e.Event.CallId == callId) && !inDatabase.Contains(e.EventId))
            .ToList();
        if (added.Count == 0 && !openOnly)
        {
            return stored.Select(e => e.Event).ToList();
        }

        // The number to call back: from a call row in the journal, the database's answer, or the calls table.
        var numbers = stored.GroupBy(e => e.Event.CallId).ToDictionary(g => g.Key, g => g.First().Event.CallerNumber, StringComparer.Ordinal);
        foreach (var call in pending.Calls)
        {
            numbers.TryAdd(call.Call.CallId, call.Call.CallerNumber);
        }

        var unnumbered = added.Select(e => e.Event.CallId).Where(id => !numbers.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (id, number) in await CallerNumbersAsync(unnumbered, cancellationToken))
        {
            numbers[id] = number;
        }

        var merged = stored.Select(e => e.Event)
            .Concat(added.Select(e => new StoredCallbackEvent(e.Event.CallId, numbers.GetValueOrDefault(e.Event.CallId, ""), e.Event.Kind, e.Event.Detail, e.Event.At)))
            .ToList();
        if (!openOnly)
        {
            return merged;
        }

        // Closed in the journal; or a task the database left out as closed whose later event is in the journal.
        var closed = pending.CallsWithEvent(Routing.Calls.Callbacks.CallbackEventKinds.Closed);
        var listed = stored.Select(e => e.Event.CallId).ToHashSet(StringComparer.Ordinal);
        closed.UnionWith(await CallsWithEventAsync(
            Routing.Calls.Callbacks.CallbackEventKinds.Closed,
            added.Select(e => e.Event.CallId).Where(id => !listed.Contains(id)).Distinct(StringComparer.Ordinal).ToList(),
            cancellationToken));
        return merged.Where(e => !closed.Contains(e.CallId)).ToList();
    }

    private async Task<IReadOnlyList<(string EventId, StoredCallbackEvent Event)>> StoredCallbackEventsAsync(bool openOnly, string? callId, CancellationToken cancellationToken)
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
            "SELECT e.event_id AS EventId, e.call_id AS CallId, COALESCE(c.caller_number, '') AS CallerNumber, e.kind AS Kind, e.detail AS Detail, e.at AS At " +
            $"FROM call_events e LEFT JOIN calls c ON c.call_id = e.call_id WHERE {where} ORDER BY e.seq",
            new { CallId = callId }, cancellationToken: cancellationToken));
        return rows.Select(r => (r.EventId, new StoredCallbackEvent(r.CallId, r.CallerNumber, r.Kind, r.Detail, Dialect.FromDatabase(r.At)))).ToList();
    }

    /// <summary>Which of <paramref name="callIds"/> have an event of <paramref name="kind"/> in the database.</summary>
    private async Task<HashSet<string>> CallsWithEventAsync(string kind, IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (callIds.Count == 0)
        {
            return found;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var chunk in callIds.Chunk(IdsPerQuery))
        {
            var (names, parameters) = IdParameters(chunk);
            parameters.Add("Kind", kind);
            found.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT DISTINCT call_id FROM call_events WHERE kind = {P("Kind")} AND call_id IN ({names})",
                parameters, cancellationToken: cancellationToken)));
        }

        return found;
    }

    private async Task<Dictionary<string, string>> CallerNumbersAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (callIds.Count == 0)
        {
            return numbers;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var chunk in callIds.Chunk(IdsPerQuery))
        {
            var (names, parameters) = IdParameters(chunk);
            foreach (var (id, number) in await connection.QueryAsync<(string CallId, string CallerNumber)>(new CommandDefinition(
                $"SELECT call_id AS CallId, caller_number AS CallerNumber FROM calls WHERE call_id IN ({names})",
                parameters, cancellationToken: cancellationToken)))
            {
                numbers[id] = number;
            }
        }

        return numbers;
    }

    /// <summary>Well under every provider's limit of parameters per statement (SQL Server: 2100).</summary>
    private const int IdsPerQuery = 500;

    private (string Names, DynamicParameters Parameters) IdParameters(IReadOnlyList<string> ids)
    {
        var parameters = new DynamicParameters();
        for (var i = 0; i < ids.Count; i++)
        {
            parameters.Add("Id" + i, ids[i]);
        }

        return (string.Join(", ", ids.Select((_, i) => P("Id" + i))), parameters);
    }

    /// <summary>The database's rows, then the journal's not among them, in their order.</summary>
    private static List<T> Merge<T>(IEnumerable<T> stored, IEnumerable<T> pending, Func<T, string> key)
    {
        var merged = stored.ToList();
        var seen = merged.Select(key).ToHashSet(StringComparer.Ordinal);
        merged.AddRange(pending.Where(p => seen.Add(key(p))));
        return merged;
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

    private sealed class FactRow
    {
        public object At { get; set; } = "";
        public string Detail { get; set; } = "";
    }

    private sealed class SpanFactRow
    {
        public object At { get; set; } = "";
        public string Detail { get; set; } = "";
        public object? Since { get; set; }
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
        public string EventId { get; set; } = "";
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
