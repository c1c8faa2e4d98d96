using System.Data.Common;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Writing;

/// <summary>
/// Inserts a run of calls / legs / call_events rows through one command per table whose parameters are
/// made once and re-bound row by row. Dapper's multi-execute made a fresh parameter set for every row and (on
/// SQLite) re-prepared the statement every time: with 15-20 ledger rows per call that was the largest
/// allocator of a routed call (issue 11). The commands are kept with the writer's kept connection
/// (<see cref="WriterConnection"/>) across commits, so SQLite parses each INSERT once per connection, not once
/// per commit; they are dropped with that connection and after any failed write (<see cref="Forget"/>).
/// Rows bind by the naming rule every dialect shares (<see cref="LedgerSql.ParameterName"/>, with the
/// dialect's placeholder); null goes in as <see cref="DBNull"/>. Owned by the writer loop: not thread-safe.
/// </summary>
internal sealed class RowInserter(ILedgerDialect dialect)
{
    private readonly Dictionary<Type, KeptInsert> kept = [];
    private DbConnection? keptOn;

    private long commandsMade;

    /// <summary>Commands made so far (a kept one counts once); read from any thread.</summary>
    public long CommandsMade => Interlocked.Read(ref commandsMade);

    private readonly Dictionary<Type, RowShape> shapes = new()
    {
        [typeof(CallRow)] = RowShape.Of<CallRow>(dialect, [.. LedgerStatements.CallColumns, .. LedgerStatements.ChainColumns], CallValue),
        [typeof(LegRow)] = RowShape.Of<LegRow>(dialect, [.. LedgerStatements.LegColumns, .. LedgerStatements.ChainColumns], LegValue),
        [typeof(EventRow)] = RowShape.Of<EventRow>(dialect, [.. LedgerStatements.EventColumns, .. LedgerStatements.ChainColumns], EventValue),
    };

    /// <summary>True for the row types this inserter binds (the chained tables); the others keep Dapper.</summary>
    public bool Binds(LedgerRow row) => shapes.ContainsKey(row.GetType());

    /// <summary>Inserts <paramref name="rows"/>[<paramref name="start"/>..<paramref name="end"/>), all of
    /// one type, in order; returns how many the database took (a row already there is ignored).</summary>
    public async Task<int> InsertAsync(
        DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<LedgerRow> rows, int start, int end, CancellationToken cancellationToken)
    {
        var type = rows[start].GetType();
        var shape = shapes[type];
        var (command, parameters) = Kept(connection, type, shape, sql);
        command.Transaction = transaction;
        var inserted = 0;
        for (var r = start; r < end; r++)
        {
            var row = rows[r];
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = shape.Value(row, i) ?? DBNull.Value;
            }

            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return inserted;
    }

    /// <summary>Drops the kept commands: their connection is being closed, or a write failed on it (a command
    /// that saw an error is not trusted with the next batch).</summary>
    public void Forget()
    {
        foreach (var insert in kept.Values)
        {
            insert.Command.Dispose();
        }

        kept.Clear();
        keptOn = null;
    }

    private KeptInsert Kept(DbConnection connection, Type type, RowShape shape, string sql)
    {
        if (!ReferenceEquals(connection, keptOn))
        {
            Forget();
            keptOn = connection;
        }

        // One statement per table (LedgerStatements), so the type names the command.
        if (kept.TryGetValue(type, out var insert))
        {
            return insert;
        }

        var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameters = new DbParameter[shape.Parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = shape.Parameters[i];
            command.Parameters.Add(parameter);
            parameters[i] = parameter;
        }

        Interlocked.Increment(ref commandsMade);
        return kept[type] = new KeptInsert(command, parameters);
    }

    private readonly record struct KeptInsert(DbCommand Command, DbParameter[] Parameters);

    private static object? Chain(LedgerRow row, string column) => column switch
    {
        "chain_seq" => row.ChainSeq,
        "prev_hash" => row.PrevHash,
        "call_prev_hash" => row.CallPrevHash,
        "row_hash" => row.RowHash,
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, $"No value for column '{column}' of a {row.GetType().Name}."),
    };

    private static object? CallValue(CallRow row, string column) => column switch
    {
        "call_id" => row.CallId,
        "caller_channel_id" => row.CallerChannelId,
        "caller_number" => row.CallerNumber,
        "dialed_number" => row.DialedNumber,
        "entry" => row.Entry,
        "arrived_at" => row.ArrivedAt,
        "node_id" => row.NodeId,
        _ => Chain(row, column),
    };

    private static object? LegValue(LegRow row, string column) => column switch
    {
        "leg_id" => row.LegId,
        "call_id" => row.CallId,
        "channel_id" => row.ChannelId,
        "agency" => row.Agency,
        "region" => row.Region,
        "trunk" => row.Trunk,
        "endpoint" => row.Endpoint,
        "attempt" => row.Attempt,
        "planned_at" => row.PlannedAt,
        "node_id" => row.NodeId,
        _ => Chain(row, column),
    };

    private static object? EventValue(EventRow row, string column) => column switch
    {
        "event_id" => row.EventId,
        "call_id" => row.CallId,
        "leg_id" => row.LegId,
        "at" => row.At,
        "kind" => row.Kind,
        "detail" => row.Detail,
        "node_id" => row.NodeId,
        _ => Chain(row, column),
    };

    /// <summary>A table's parameters, named as its SQL text writes them (Microsoft.Data.Sqlite tries
    /// ':', '@' and '$' in turn for a bare name, making strings on every bind), in column order, and how
    /// a row gives each column's value.</summary>
    private sealed class RowShape(string[] columns, string[] parameters, Func<LedgerRow, string, object?> value)
    {
        public string[] Parameters { get; } = parameters;

        public object? Value(LedgerRow row, int index) => value(row, columns[index]);

        public static RowShape Of<TRow>(ILedgerDialect dialect, IReadOnlyList<string> columns, Func<TRow, string, object?> value)
            where TRow : LedgerRow =>
            new([.. columns], [.. columns.Select(c => dialect.Parameter(LedgerSql.ParameterName(c)))], (row, column) => value((TRow)row, column));
    }
}
