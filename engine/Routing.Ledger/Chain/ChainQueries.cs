using System.Data.Common;
using Dapper;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Chain;

/// <summary>The reads the chain needs from the database: where a node's chain (or one call's part
/// of it) ends, and which rows of a replayed batch are already there.</summary>
internal sealed class ChainQueries(ILedgerDialect dialect)
{
    private readonly string nodeHead = HeadQuery(dialect, "");

    private readonly string callHead = HeadQuery(dialect, $" AND call_id = {dialect.Parameter("CallId")}");

    public async Task<(long Seq, string Hash)?> NodeHeadAsync(DbConnection connection, DbTransaction? transaction, string nodeId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            nodeHead, new { NodeId = nodeId, Limit = 1 }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : (row.ChainSeq, row.RowHash);
    }

    public async Task<string?> CallHeadAsync(DbConnection connection, DbTransaction transaction, string nodeId, string callId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            callHead, new { NodeId = nodeId, CallId = callId, Limit = 1 }, transaction, cancellationToken: cancellationToken));
        return row?.RowHash;
    }

    /// <summary>Keys among <paramref name="keys"/> already in <paramref name="table"/>.</summary>
    public async Task<HashSet<string>> ExistingAsync(DbConnection connection, DbTransaction transaction, string table, string keyColumn, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        // Npgsql binds a list as one array parameter (= ANY); the others expand IN (@Keys1, @Keys2, ...).
        var match = dialect is PostgresDialect ? $"= ANY({dialect.Parameter("Keys")})" : $"IN {dialect.Parameter("Keys")}";
        var found = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT {keyColumn} FROM {table} WHERE {keyColumn} {match}",
            new { Keys = keys.ToArray() }, transaction, cancellationToken: cancellationToken));
        return found.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The outcome event id of each of <paramref name="callIds"/> that has one (the partial index
    /// <c>ix_call_events_outcome_call_id</c> serves it), whatever the id's shape.</summary>
    public async Task<Dictionary<string, string>> OutcomesOfAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        var match = dialect is PostgresDialect ? $"= ANY({dialect.Parameter("CallIds")})" : $"IN {dialect.Parameter("CallIds")}";
        var found = await connection.QueryAsync<(string CallId, string EventId)>(new CommandDefinition(
            $"SELECT call_id, event_id FROM call_events WHERE kind = 'outcome' AND call_id {match}",
            new { CallIds = callIds.ToArray() }, transaction, cancellationToken: cancellationToken));
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (callId, eventId) in found)
        {
            outcomes.TryAdd(callId, eventId);
        }

        return outcomes;
    }

    private static string HeadQuery(ILedgerDialect dialect, string andCall)
    {
        var (afterSelect, atEnd) = dialect.RowLimit("Limit");
        var where = $"WHERE node_id = {dialect.Parameter("NodeId")} AND chain_seq IS NOT NULL{andCall}";
        return $"SELECT {afterSelect}chain_seq AS ChainSeq, row_hash AS RowHash FROM (" +
            $"SELECT chain_seq, row_hash FROM calls {where} " +
            $"UNION ALL SELECT chain_seq, row_hash FROM legs {where} " +
            $"UNION ALL SELECT chain_seq, row_hash FROM call_events {where}) x ORDER BY chain_seq DESC{atEnd}";
    }

    private sealed class HeadRow
    {
        public long ChainSeq { get; set; }
        public string RowHash { get; set; } = "";
    }
}
