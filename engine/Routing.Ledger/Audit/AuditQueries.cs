using System.Data.Common;
using Dapper;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Audit;

/// <summary>The reads of <c>routing audit</c>: chained rows by node and position, checkpoints, and
/// rows that carry no chain at all. SELECT only.</summary>
internal sealed class AuditQueries(LedgerConnectionFactory connections)
{
    private const string Chain = "node_id AS NodeId, chain_seq AS ChainSeq, prev_hash AS PrevHash, call_prev_hash AS CallPrevHash, row_hash AS RowHash";

    private const string CallSelect =
        "SELECT 'calls' AS TableName, call_id AS RowKey, call_id AS CallId, NULL AS Seq, caller_channel_id AS CallerChannelId, caller_number AS CallerNumber, " +
        "dialed_number AS DialedNumber, entry AS Entry, arrived_at AS At, " + Chain + " FROM calls";

    private const string LegSelect =
        "SELECT 'legs' AS TableName, leg_id AS RowKey, call_id AS CallId, NULL AS Seq, leg_id AS LegId, channel_id AS ChannelId, agency AS Agency, region AS Region, " +
        "trunk AS Trunk, endpoint AS Endpoint, attempt AS Attempt, planned_at AS At, " + Chain + " FROM legs";

    private const string EventSelect =
        "SELECT 'call_events' AS TableName, event_id AS RowKey, call_id AS CallId, seq AS Seq, leg_id AS LegId, at AS At, kind AS Kind, detail AS Detail, " +
        Chain + " FROM call_events";

    private ILedgerDialect Dialect => connections.Dialect;

    private string P(string name) => Dialect.Parameter(name);

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => connections.OpenAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> NodesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT node_id FROM calls WHERE chain_seq IS NOT NULL UNION SELECT node_id FROM legs WHERE chain_seq IS NOT NULL " +
            "UNION SELECT node_id FROM call_events WHERE chain_seq IS NOT NULL", cancellationToken: cancellationToken))).Order(StringComparer.Ordinal).ToList();

    /// <summary>The node's chained rows with <paramref name="from"/> &lt;= chain_seq &lt;= <paramref name="to"/>, in chain order.</summary>
    public async Task<List<ChainedRow>> ChainAsync(DbConnection connection, string nodeId, long from, long to, CancellationToken cancellationToken)
    {
        var where = $" WHERE node_id = {P("NodeId")} AND chain_seq >= {P("From")} AND chain_seq <= {P("To")}";
        var parameters = new { NodeId = nodeId, From = from, To = to };
        var rows = new List<ChainedRow>();
        foreach (var select in new[] { CallSelect, LegSelect, EventSelect })
        {
            rows.AddRange(await connection.QueryAsync<ChainedRow>(new CommandDefinition(select + where, parameters, cancellationToken: cancellationToken)));
        }

        rows.Sort((a, b) => a.ChainSeq!.Value != b.ChainSeq!.Value
            ? a.ChainSeq.Value.CompareTo(b.ChainSeq.Value)
            : string.CompareOrdinal(a.Table + a.RowKey, b.Table + b.RowKey));
        return rows;
    }

    public async Task<long> LastPositionAsync(DbConnection connection, string nodeId, CancellationToken cancellationToken)
    {
        var where = $" WHERE node_id = {P("NodeId")}";
        long last = 0;
        foreach (var table in new[] { "calls", "legs", "call_events" })
        {
            last = Math.Max(last, await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                $"SELECT MAX(chain_seq) FROM {table}{where}", new { NodeId = nodeId }, cancellationToken: cancellationToken)) ?? 0);
        }

        return last;
    }

    /// <summary>This node's newest row of <paramref name="callId"/> before position <paramref name="before"/>.</summary>
    public async Task<string?> CallHashBeforeAsync(DbConnection connection, string nodeId, string callId, long before, CancellationToken cancellationToken)
    {
        var (afterSelect, atEnd) = Dialect.RowLimit("Limit");
        var where = $"WHERE node_id = {P("NodeId")} AND call_id = {P("CallId")} AND chain_seq < {P("Before")}";
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"SELECT {afterSelect}row_hash FROM (SELECT chain_seq, row_hash FROM calls {where} UNION ALL SELECT chain_seq, row_hash FROM legs {where} " +
            $"UNION ALL SELECT chain_seq, row_hash FROM call_events {where}) x ORDER BY chain_seq DESC{atEnd}",
            new { NodeId = nodeId, CallId = callId, Before = before, Limit = 1 }, cancellationToken: cancellationToken));
    }

    public async Task<List<StoredCheckpoint>> CheckpointsAsync(DbConnection connection, string nodeId, long from, long to, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<StoredCheckpoint>(new CommandDefinition(
            "SELECT node_id AS NodeId, chain_seq AS ChainSeq, row_hash AS RowHash, signed_at AS SignedAt, key_id AS KeyId, signature AS Signature " +
            $"FROM ledger_checkpoints WHERE node_id = {P("NodeId")} AND chain_seq >= {P("From")} AND chain_seq <= {P("To")} ORDER BY chain_seq",
            new { NodeId = nodeId, From = from, To = to }, cancellationToken: cancellationToken))).ToList();

    /// <summary>The first checkpoint of the node at or after <paramref name="position"/>.</summary>
    public async Task<StoredCheckpoint?> CheckpointCoveringAsync(DbConnection connection, string nodeId, long position, CancellationToken cancellationToken)
    {
        var (afterSelect, atEnd) = Dialect.RowLimit("Limit");
        return await connection.QuerySingleOrDefaultAsync<StoredCheckpoint>(new CommandDefinition(
            $"SELECT {afterSelect}node_id AS NodeId, chain_seq AS ChainSeq, row_hash AS RowHash, signed_at AS SignedAt, key_id AS KeyId, signature AS Signature " +
            $"FROM ledger_checkpoints WHERE node_id = {P("NodeId")} AND chain_seq >= {P("From")} ORDER BY chain_seq{atEnd}",
            new { NodeId = nodeId, From = position, Limit = 1 }, cancellationToken: cancellationToken));
    }

    /// <summary>Rows with no chain written after chained rows began: nothing the engine wrote looks like that.</summary>
    public async Task<List<ChainedRow>> UnchainedAfterChainBeganAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = new List<ChainedRow>();
        var firstEventSeq = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(seq) FROM call_events WHERE chain_seq IS NOT NULL", cancellationToken: cancellationToken));
        if (firstEventSeq is { } first)
        {
            rows.AddRange(await connection.QueryAsync<ChainedRow>(new CommandDefinition(
                EventSelect + $" WHERE chain_seq IS NULL AND seq > {P("First")}", new { First = first }, cancellationToken: cancellationToken)));
        }

        var firstArrival = await connection.ExecuteScalarAsync<object?>(new CommandDefinition(
            "SELECT MIN(arrived_at) FROM calls WHERE chain_seq IS NOT NULL", cancellationToken: cancellationToken));
        if (firstArrival is not null and not DBNull)
        {
            rows.AddRange(await connection.QueryAsync<ChainedRow>(new CommandDefinition(
                CallSelect + $" WHERE chain_seq IS NULL AND arrived_at > {P("First")}", new { First = firstArrival }, cancellationToken: cancellationToken)));
            rows.AddRange(await connection.QueryAsync<ChainedRow>(new CommandDefinition(
                LegSelect + $" WHERE chain_seq IS NULL AND planned_at > {P("First")}", new { First = firstArrival }, cancellationToken: cancellationToken)));
        }

        return rows;
    }

    /// <summary>Every row of a call, in each node's chain order.</summary>
    public async Task<List<ChainedRow>> CallRowsAsync(DbConnection connection, string callId, CancellationToken cancellationToken)
    {
        var rows = new List<ChainedRow>();
        foreach (var select in new[] { CallSelect, LegSelect, EventSelect })
        {
            rows.AddRange(await connection.QueryAsync<ChainedRow>(new CommandDefinition(
                select + $" WHERE call_id = {P("CallId")}", new { CallId = callId }, cancellationToken: cancellationToken)));
        }

        return rows.OrderBy(r => r.NodeId, StringComparer.Ordinal).ThenBy(r => r.ChainSeq ?? long.MaxValue).ThenBy(r => r.Seq ?? 0).ToList();
    }
}
