using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Routing.Calls.Ports;
using Routing.Ledger.Chain;
using Routing.Ledger.Spool;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger;

/// <summary>
/// The call journal: write before act, bounded. Every record goes into ONE bounded queue drained by a
/// single writer loop, which commits up to <see cref="LedgerOptions.MaxBatch"/> records per
/// transaction, in the order they were accepted. A caller's ValueTask completes when its record is
/// committed, or when <see cref="LedgerOptions.WriteBeforeActTimeout"/> has passed since the call
/// began, whichever is first; in the second case the record is counted late and still written.
/// <para>
/// Nothing accepted is dropped while the process lives: a failing database is retried with backoff
/// (50 ms doubling to 5 s) and the records stay in memory, in order. When the queue is full a caller
/// waits for space within the same bound; if the bound passes first, its record keeps waiting for
/// space in the background (the channel serves waiting writers first-in first-out, so order holds)
/// and the call goes on. Memory therefore grows past <see cref="LedgerOptions.QueueCapacity"/> only
/// by records whose callers already gave up waiting, one per waiting write. A record the database
/// refuses for good (a constraint or data error: a bug upstream) is set aside in
/// <c>rejected_records</c> and counted in <see cref="LedgerStats.Rejected"/>, so it cannot block the rest.
/// </para>
/// <para>
/// Cancelling a call's token stops its wait, not the write. Disposal stops accepting, flushes what is
/// pending for up to <see cref="LedgerOptions.ShutdownFlushTimeout"/>, then reports (Critical log,
/// <see cref="LedgerStats.Abandoned"/>) any record it could not write.
/// </para>
/// <para>
/// With the spool (<see cref="LedgerOptions.Spool"/>, on by default) "written" means committed OR
/// fsynced in the local spool file. A record not committed within <see cref="LedgerSpoolOptions.After"/>
/// starts the spooling episode: every record not yet in the database goes to the spool, in acceptance
/// order, and so does each new one until the writer has caught up; a caller then waits (still within
/// <see cref="LedgerOptions.WriteBeforeActTimeout"/>) for its record's fsync instead of the database.
/// The spool is replayed at the next start, before any new record; the database ignores what it already
/// holds (idempotent keys) and the chain leaves such rows out. The writer hash-chains every row as it
/// commits it (<see cref="ChainLinker"/>).
/// </para>
/// </summary>
public sealed class LedgerJournal : ICallJournal, IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly LedgerConnectionFactory connections;
    private readonly LedgerRowFactory rows;
    private readonly LedgerStatements statements;
    private readonly RowInserter inserter;
    private readonly WriterConnection writerConnection;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly TimeSpan writeBeforeActTimeout;
    private readonly TimeSpan shutdownFlushTimeout;
    private readonly int maxBatch;
    private readonly int capacity;
    private readonly Channel<PendingRecord> queue;
    private readonly CancellationTokenSource abandon = new();
    private readonly Task writer;
    private readonly ChainLinker chain;
    private readonly SpoolWriter? spool;
    private readonly TimeSpan spoolAfter;
    private readonly IReadOnlyList<PendingRecord> leftovers;

    /// <summary>Records accepted and not yet in the database, in acceptance order; guarded by itself.</summary>
    private readonly LinkedList<PendingRecord> unsettled = new();
    private long ordinal;
    private long committedThrough;
    private long replayed;
    private long keptInSpool;

    /// <summary>1 during a spooling episode (see the class remarks).</summary>
    private int spooling;

    /// <summary>1 when a spool wait ran past the bound or the spool refused a record: callers then
    /// stop waiting for the spool too, until it has caught up.</summary>
    private int spoolLagging;

    private long written;
    private long late;
    private long pending;
    private long failures;
    private long queueFull;
    private long abandoned;
    private long rejected;
    private long refusedOutcomes;
    private string? lastError;
    private int closed;
    private int queueFullReported;

    /// <summary>1 while the ledger is behind (a write ran late) or failing: callers then hand their
    /// record over without waiting, so a slow or absent database costs a call one bounded wait per
    /// episode, not one per record (invariant 3). Cleared when the writer has caught up.</summary>
    private int behind;

    internal LedgerJournal(
        LedgerConnectionFactory connections, LedgerOptions options, ChainLinker chain, FileStream? spoolLock, IReadOnlyList<SpooledFile> leftovers, TimeProvider timeProvider, ILogger logger)
    {
        this.chain = chain;
        this.connections = connections;
        this.timeProvider = timeProvider;
        this.logger = logger;
        rows = new LedgerRowFactory(connections.Dialect, options.NodeId, timeProvider);
        statements = new LedgerStatements(connections.Dialect);
        inserter = new RowInserter(connections.Dialect);
        writerConnection = new WriterConnection(connections, timeProvider);
        writeBeforeActTimeout = options.WriteBeforeActTimeout;
        shutdownFlushTimeout = options.ShutdownFlushTimeout;
        maxBatch = options.MaxBatch;
        capacity = options.QueueCapacity;
        queue = Channel.CreateBounded<PendingRecord>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
        spoolAfter = options.Spool.After;
        var replay = new List<PendingRecord>();
        foreach (var row in leftovers.SelectMany(f => f.Rows))
        {
            var record = new PendingRecord(row) { Replayed = true, Ordinal = ++ordinal };
            record.Unsettled = unsettled.AddLast(record);
            replay.Add(record);
        }

        this.leftovers = replay;
        pending = replay.Count;
        replayed = replay.Count;
        if (replay.Count > 0)
        {
            logger.SpoolReplaying(replay.Count, leftovers.Count);
        }

        if (spoolLock is not null)
        {
            spool = new SpoolWriter(options.Spool, spoolLock, leftovers, () => Interlocked.Read(ref committedThrough), timeProvider, logger)
            {
                CaughtUp = () => Volatile.Write(ref spoolLagging, 0),
            };
        }

        writer = Task.Run(RunWriterAsync);
    }

    /// <summary>True once every record replayed at start from an earlier run's spool is in the database (at once
    /// when there was none): batches commit in order, so it is once the last replayed one has. Whoever reads the
    /// ledger's past at start (the wallboard's history) waits for it, or the crashed run's last records are missed.</summary>
    public bool SpoolReplayCommitted => Interlocked.Read(ref committedThrough) >= Interlocked.Read(ref replayed);

    public LedgerStats Stats => new(
        Interlocked.Read(ref written),
        Interlocked.Read(ref late),
        Interlocked.Read(ref pending),
        Interlocked.Read(ref failures),
        Interlocked.Read(ref queueFull),
        Interlocked.Read(ref abandoned),
        Interlocked.Read(ref rejected),
        Volatile.Read(ref lastError),
        spool?.Spooled ?? 0,
        spool?.Bytes ?? 0,
        spool?.Full ?? 0,
        Interlocked.Read(ref replayed),
        Interlocked.Read(ref keptInSpool),
        Volatile.Read(ref chainHead))
    {
        RefusedOutcomes = Interlocked.Read(ref refusedOutcomes),
    };

    private long chainHead;

    /// <summary>Connections the writer opened: one kept across commits, another only after a failed write or an idle spell.</summary>
    internal long WriterConnectionsOpened => writerConnection.Opened;

    /// <summary>Insert commands the writer made: one per table while its connection is kept.</summary>
    internal long InsertCommandsMade => inserter.CommandsMade;

    /// <summary>The records accepted and not yet in the database, in acceptance order: waiting in memory,
    /// fsynced in this run's spool, or read back from an earlier run's spool and not yet replayed. With the
    /// database's rows they are everything written (<see cref="LedgerReader"/> reads through them).</summary>
    internal IReadOnlyList<LedgerRow> UnsettledRows()
    {
        lock (unsettled)
        {
            if (unsettled.Count == 0)
            {
                return [];
            }

            var rows = new LedgerRow[unsettled.Count];
            var i = 0;
            foreach (var record in unsettled)
            {
                rows[i++] = record.Row;
            }

            return rows;
        }
    }

    public ValueTask CallArrivedAsync(CallRecord call, CancellationToken cancellationToken) =>
        RecordAsync(rows.Call(call), cancellationToken);

    public ValueTask LegPlannedAsync(LegRecord leg, CancellationToken cancellationToken) =>
        RecordAsync(rows.Leg(leg), cancellationToken);

    public ValueTask AppendAsync(CallEventRecord callEvent, CancellationToken cancellationToken) =>
        RecordAsync(rows.Event(callEvent), cancellationToken);

    private ValueTask RecordAsync(LedgerRow row, CancellationToken cancellationToken) =>
        spool is null ? RecordInMemoryAsync(row, cancellationToken) : RecordSpooledAsync(row, cancellationToken);

    /// <summary>Accepts the record in order: the unsettled list, the writer's queue, and (during a
    /// spooling episode) the spool all see records in the same order. False if the queue was full.</summary>
    private bool Accept(PendingRecord record)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref closed) != 0, this);
        Interlocked.Increment(ref pending);
        lock (unsettled)
        {
            record.Ordinal = ++ordinal;
            record.Unsettled = unsettled.AddLast(record);
            if (Volatile.Read(ref spooling) != 0 && record.TrySendToSpool())
            {
                spool!.Enqueue(record);
            }

            return queue.Writer.TryWrite(record);
        }
    }

    private async ValueTask RecordSpooledAsync(LedgerRow row, CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetTimestamp();
        var record = new PendingRecord(row);
        if (!Accept(record))
        {
            // In the unsettled list already, so a spooling episode covers it while it waits for space.
            _ = EnterWhenSpaceAsync(record);
        }

        if (Volatile.Read(ref spooling) == 0)
        {
            if (await WithinAsync(record.Committed, spoolAfter, startedAt, cancellationToken))
            {
                return;
            }

            StartSpooling();
        }

        if (Volatile.Read(ref spoolLagging) != 0)
        {
            CountLate(row);
            return;
        }

        if (!await WithinAsync(record.Settled, writeBeforeActTimeout, startedAt, cancellationToken))
        {
            Volatile.Write(ref spoolLagging, 1);
            CountLate(row);
        }
    }

    /// <summary>Hands every record not yet in the database to the spool, in order; from now on each
    /// new one too, until the writer has caught up.</summary>
    private void StartSpooling()
    {
        lock (unsettled)
        {
            if (Interlocked.Exchange(ref spooling, 1) == 0)
            {
                logger.SpoolingStarted(spoolAfter.TotalMilliseconds);
            }

            foreach (var waiting in unsettled)
            {
                if (waiting.TrySendToSpool())
                {
                    spool!.Enqueue(waiting);
                }
            }
        }
    }

    private async ValueTask RecordInMemoryAsync(LedgerRow row, CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetTimestamp();
        var record = new PendingRecord(row);
        var accepted = Accept(record);

        if (Volatile.Read(ref behind) != 0)
        {
            // Accepted in order all the same; only the wait is skipped.
            if (!accepted)
            {
                _ = EnterWhenSpaceAsync(record);
            }

            CountLate(row);
            return;
        }

        if (!accepted)
        {
            var entered = EnterWhenSpaceAsync(record);
            if (!await WithinBoundAsync(entered, startedAt, cancellationToken))
            {
                CountLate(row);
                return;
            }
        }

        if (!await WithinBoundAsync(record.Committed, startedAt, cancellationToken))
        {
            CountLate(row);
        }
    }

    // Deliberately not cancellable: once accepted, a record must reach the queue even if its
    // caller stopped waiting.
    private async Task EnterWhenSpaceAsync(PendingRecord record)
    {
        if (Volatile.Read(ref closed) != 0)
        {
            Interlocked.Decrement(ref pending);
            throw new ObjectDisposedException(nameof(LedgerJournal));
        }

        Interlocked.Increment(ref queueFull);
        if (Interlocked.Exchange(ref queueFullReported, 1) == 0)
        {
            logger.QueueFull(capacity);
        }

        try
        {
            await queue.Writer.WriteAsync(record, CancellationToken.None);
        }
        catch (ChannelClosedException ex)
        {
            // Only when disposal closed the queue while this record waited for space.
            Abandon(record);
            logger.RecordsAbandoned(1, shutdownFlushTimeout.TotalMilliseconds, Volatile.Read(ref lastError));
            throw new ObjectDisposedException("The ledger closed before this record could be queued.", ex);
        }
    }

    private ValueTask<bool> WithinBoundAsync(Task task, long startedAt, CancellationToken cancellationToken) =>
        WithinAsync(task, writeBeforeActTimeout, startedAt, cancellationToken);

    private async ValueTask<bool> WithinAsync(Task task, TimeSpan bound, long startedAt, CancellationToken cancellationToken)
    {
        if (!task.IsCompleted)
        {
            var remaining = bound - timeProvider.GetElapsedTime(startedAt);
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await task.WaitAsync(remaining, timeProvider, cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
                // The record may have been committed in the same instant: then it was not late.
                return task.IsCompletedSuccessfully;
            }
        }

        await task;
        return true;
    }

    private void CountLate(LedgerRow row)
    {
        Volatile.Write(ref behind, 1);
        Interlocked.Increment(ref late);
        logger.RecordLate(row.CallId, writeBeforeActTimeout.TotalMilliseconds);
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<PendingRecord>(maxBatch);
        try
        {
            // An earlier run's spool goes first, in its order, before anything this run records.
            foreach (var chunk in leftovers.Chunk(maxBatch))
            {
                batch.AddRange(chunk);
                await CommitWithRetryAsync(batch, abandon.Token);
                Settle(batch);
                batch.Clear();
            }

            // Not cancellable: a token that can be cancelled makes the channel allocate a wait per call, and the queue
            // is completed before shutdown gives up (abandon), so this wait ends on its own then.
            while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (batch.Count < maxBatch && queue.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                if (queue.Reader.Count == 0)
                {
                    Volatile.Write(ref queueFullReported, 0);
                }

                await CommitWithRetryAsync(batch, abandon.Token);
                Settle(batch);
                batch.Clear();
                if (queue.Reader.Count == 0)
                {
                    Volatile.Write(ref behind, 0);
                    lock (unsettled)
                    {
                        if (unsettled.Count == 0)
                        {
                            Volatile.Write(ref spooling, 0);
                        }
                    }
                }
            }
        }
        catch (Exception) when (abandon.IsCancellationRequested)
        {
            // Shutdown gave up (the database stayed away); DisposeAsync reports the loss.
            foreach (var record in batch)
            {
                Abandon(record);
            }
        }
        finally
        {
            inserter.Forget();
            await writerConnection.DisposeAsync();
        }
    }

    private void Settle(List<PendingRecord> batch)
    {
        // Counters first, so whoever resumes on MarkCommitted sees them already updated.
        var taken = 0;
        foreach (var record in batch)
        {
            taken += record.Rejected ? 0 : 1;
        }

        Interlocked.Add(ref written, taken);
        Interlocked.Add(ref pending, -batch.Count);
        Volatile.Write(ref chainHead, chain.HeadSeq);
        var spooledAny = false;
        lock (unsettled)
        {
            foreach (var record in batch)
            {
                if (record.Unsettled is { } node)
                {
                    unsettled.Remove(node);
                    record.Unsettled = null;
                }

                spooledAny |= record.IsSpooled;
            }

            Interlocked.Exchange(ref committedThrough, batch[^1].Ordinal);
        }

        foreach (var record in batch)
        {
            record.MarkCommitted();
        }

        if (spooledAny || batch[0].Replayed)
        {
            spool?.Poke();
        }
    }

    private async Task CommitWithRetryAsync(List<PendingRecord> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CommitOrSetAsideAsync(batch, cancellationToken);
                if (attempt > 1)
                {
                    logger.BatchRecovered(attempt, batch.Count);
                }

                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Any failure is retried: the records stay in this batch, ahead of everything queued.
                Interlocked.Increment(ref failures);
                await writerConnection.DiscardAsync();
                Volatile.Write(ref behind, 1);
                Volatile.Write(ref lastError, $"{ex.GetType().Name}: {ex.Message}");
                var delay = RetryDelay(attempt);
                logger.BatchFailed(ex, batch.Count, attempt, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, timeProvider, cancellationToken);
            }
        }
    }

    // A row the database refuses for good would otherwise be retried forever and hold up every
    // record behind it. Then each record of the batch is committed on its own, and the refused
    // ones are set aside whole in rejected_records. Other failures propagate to the retry loop;
    // a retried batch re-inserts nothing twice (insert-ignore on every key).
    private async Task CommitOrSetAsideAsync(List<PendingRecord> batch, CancellationToken cancellationToken)
    {
        if (await TryCommitAsync(batch, cancellationToken) is null)
        {
            return;
        }

        foreach (var record in batch)
        {
            if (await TryCommitAsync([record], cancellationToken) is not { } refusal)
            {
                continue;
            }

            var setAside = rows.Rejected(record.Row, refusal);
            if (await TryCommitRowsAsync([setAside], cancellationToken) is { } alsoRefused)
            {
                throw new InvalidOperationException($"The ledger could not even set aside refused record {setAside.RecordKey}.", alsoRefused);
            }

            if (!record.Rejected)
            {
                record.Rejected = true;
                Interlocked.Increment(ref rejected);
                logger.RecordRejected(refusal, setAside.RecordType, setAside.RecordKey, setAside.CallId);
            }
        }
    }

    private Task<Exception?> TryCommitAsync(IReadOnlyList<PendingRecord> records, CancellationToken cancellationToken)
    {
        var batchRows = new LedgerRow[records.Count];
        var anyReplayed = false;
        for (var i = 0; i < batchRows.Length; i++)
        {
            batchRows[i] = records[i].Row;
            anyReplayed |= records[i].Replayed;
        }

        return TryCommitRowsAsync(batchRows, cancellationToken, anyReplayed);
    }

    /// <summary>Commits the rows in one transaction; returns the database's refusal if it refused
    /// one for good, throws on any other failure.</summary>
    private async Task<Exception?> TryCommitRowsAsync(IReadOnlyList<LedgerRow> batch, CancellationToken cancellationToken, bool mayRepeat = false)
    {
        try
        {
            await CommitRowsAsync(batch, mayRepeat, cancellationToken);
            return null;
        }
        catch (Exception ex) when (connections.Dialect.IsPermanentRejection(ex))
        {
            return ex;
        }
    }

    private async Task CommitRowsAsync(IReadOnlyList<LedgerRow> rows, bool mayRepeat, CancellationToken cancellationToken)
    {
        // A chained row the database ignored (its key arrived meanwhile: another node wrote the same call's
        // outcome) would be a hole in the chain: that transaction is rolled back and the batch linked again,
        // leaving out what is there now.
        if (await TryCommitLinkedAsync(rows, mayRepeat, replayed: mayRepeat, cancellationToken))
        {
            return;
        }

        if (!await TryCommitLinkedAsync(rows, mayRepeat: true, replayed: mayRepeat, cancellationToken))
        {
            throw new InvalidOperationException("The ledger ignored a chained row it had just found absent; the batch is retried.");
        }
    }

    /// <summary>False (rolled back, nothing changed) when the database ignored a chained row.</summary>
    private async Task<bool> TryCommitLinkedAsync(IReadOnlyList<LedgerRow> rows, bool mayRepeat, bool replayed, CancellationToken cancellationToken)
    {
        var connection = await writerConnection.GetAsync(cancellationToken);
        try
        {
            return await TryCommitLinkedAsync(connection, rows, mayRepeat, replayed, cancellationToken);
        }
        catch (Exception)
        {
            // Whatever failed, the kept commands are not trusted with the next batch; the connection is kept only
            // when the database refused a row for good (it answered, the transaction rolled back): any other
            // failure discards it in the retry loop.
            inserter.Forget();
            throw;
        }
    }

    private async Task<bool> TryCommitLinkedAsync(DbConnection connection, IReadOnlyList<LedgerRow> rows, bool mayRepeat, bool replayed, CancellationToken cancellationToken)
    {
        await using var transaction = await connections.Dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        var linked = await chain.LinkAsync(connection, transaction, rows, mayRepeat, cancellationToken);
        var batch = linked.Rows;

        // Consecutive rows of one table go in one command, re-bound row by row; the order is kept.
        for (var start = 0; start < batch.Count;)
        {
            var table = batch[start].GetType();
            var end = start + 1;
            while (end < batch.Count && batch[end].GetType() == table)
            {
                end++;
            }

            var inserted = inserter.Binds(batch[start])
                ? await inserter.InsertAsync(connection, transaction, statements.For(batch[start]), batch, start, end, cancellationToken)
                : await connection.ExecuteAsync(new CommandDefinition(
                    statements.For(batch[start]), batch.Skip(start).Take(end - start).ToArray(), transaction, cancellationToken: cancellationToken));
            if (batch[start] is CallRow or LegRow or EventRow && inserted < end - start)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }

            start = end;
        }

        await transaction.CommitAsync(cancellationToken);
        chain.Apply(linked);

        // In a replayed spool an outcome already there with its own id is this very record, committed before the crash.
        foreach (var outcome in linked.OutcomesLeftOut.Where(o => !(replayed && o.Repeat)))
        {
            Interlocked.Increment(ref refusedOutcomes);
            logger.SecondOutcomeRefused(outcome.Row.CallId, outcome.Row.Detail);
        }

        return true;
    }

    private static TimeSpan RetryDelay(int attempt)
    {
        var delay = FirstRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 16));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    /// <summary>Shutdown gives up on the record: lost, unless it is safe in a spool file (this run's,
    /// or the earlier run's it was replayed from), which the next start replays.</summary>
    private void Abandon(PendingRecord record)
    {
        Interlocked.Increment(ref record.IsSpooled || record.Replayed ? ref keptInSpool : ref abandoned);
        Interlocked.Decrement(ref pending);
        lock (unsettled)
        {
            if (record.Unsettled is { } node)
            {
                unsettled.Remove(node);
                record.Unsettled = null;
            }
        }

        record.MarkAbandoned();
    }

    /// <summary>Stops accepting records and flushes the pending ones (see the class remarks). Returns
    /// within about twice <see cref="LedgerOptions.ShutdownFlushTimeout"/> even if the database hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return;
        }

        logger.Flushing(Interlocked.Read(ref pending));
        queue.Writer.TryComplete();
        var writerEnded = await EndsWithinAsync(writer, shutdownFlushTimeout);
        if (!writerEnded && spool is not null)
        {
            // The database stayed away: whatever it has not taken goes to the spool for the next start.
            StartSpooling();
            await EndsWithinAsync(spool.DrainedAsync(), shutdownFlushTimeout);
        }

        if (!writerEnded)
        {
            abandon.Cancel();
            // A driver call that ignores cancellation (SQLite waiting on a lock) may outlive this;
            // it then finds the token cancelled and abandons its batch by itself.
            writerEnded = await EndsWithinAsync(writer, shutdownFlushTimeout);
        }

        while (queue.Reader.TryRead(out var record))
        {
            Abandon(record);
        }

        List<PendingRecord> neverReached;
        lock (unsettled)
        {
            neverReached = unsettled.Where(r => r.Replayed).ToList();
        }

        // Replayed leftovers the writer never reached are still in their own spool file.
        foreach (var record in neverReached)
        {
            Abandon(record);
        }

        if (spool is not null)
        {
            await spool.DisposeAsync();
        }

        if (Interlocked.Read(ref keptInSpool) > 0)
        {
            logger.RecordsKeptInSpool(Interlocked.Read(ref keptInSpool));
        }

        // Abandoned ones, plus any still held by a writer stuck in a driver call.
        var notWritten = Interlocked.Read(ref abandoned) + Interlocked.Read(ref pending);
        if (notWritten > 0)
        {
            logger.RecordsAbandoned(notWritten, shutdownFlushTimeout.TotalMilliseconds, Volatile.Read(ref lastError));
        }

        if (writerEnded)
        {
            abandon.Dispose();
        }
    }

    private async Task<bool> EndsWithinAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout, timeProvider);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
