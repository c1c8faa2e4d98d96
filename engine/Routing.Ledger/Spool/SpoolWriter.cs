using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Spool;

/// <summary>
/// Appends records to this run's spool file, in the order they are handed over, and fsyncs once per
/// batch (group commit); each record is marked spooled only after the fsync that covers it. Total
/// spool bytes are bounded by <see cref="LedgerSpoolOptions.MaxBytes"/>: a record that does not fit
/// is not spooled, the alarm goes off (Critical log once per episode, <see cref="Full"/> counted) and
/// the record stays in memory for the database, so the call goes on. A file whose records have all
/// reached the database (ordinal at most <see cref="committedThrough"/>) is deleted; so are an earlier
/// run's files once everything replayed from them has. One loop owns the files.
/// </summary>
internal sealed class SpoolWriter : IAsyncDisposable
{
    private readonly LedgerSpoolOptions options;
    private readonly ILogger logger;
    private readonly Func<long> committedThrough;
    private readonly string runId;
    private readonly Channel<PendingRecord?> entries = Channel.CreateUnbounded<PendingRecord?>();
    private readonly List<(string Path, long Bytes, long LastOrdinal)> retiring = [];
    private readonly Task loop;

    private FileStream? file;
    private string? filePath;
    private long fileBytes;
    private long lastOrdinalInFile;
    private int fileNumber;
    private long bytes;
    private long spooled;
    private long full;
    private bool fullReported;

    private readonly FileStream directoryLock;

    public SpoolWriter(LedgerSpoolOptions options, FileStream directoryLock, IReadOnlyList<SpooledFile> leftovers, Func<long> committedThrough, TimeProvider timeProvider, ILogger logger)
    {
        this.directoryLock = directoryLock;
        this.options = options;
        this.logger = logger;
        this.committedThrough = committedThrough;
        runId = timeProvider.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Directory.CreateDirectory(options.Directory);
        long ordinal = 0;
        foreach (var leftover in leftovers)
        {
            ordinal += leftover.Rows.Count;
            retiring.Add((leftover.Path, leftover.Bytes, ordinal));
            bytes += leftover.Bytes;
        }

        loop = Task.Run(RunAsync);
    }

    public long Bytes => Interlocked.Read(ref bytes);

    public long Spooled => Interlocked.Read(ref spooled);

    public long Full => Interlocked.Read(ref full);

    /// <summary>Called when a batch ended with nothing left to write (the spool has caught up).</summary>
    public Action? CaughtUp { get; set; }

    public void Enqueue(PendingRecord record)
    {
        if (!entries.Writer.TryWrite(record))
        {
            record.MarkNotSpooled();
        }
    }

    /// <summary>Asks the loop to delete files whose records have all reached the database.</summary>
    public void Poke() => entries.Writer.TryWrite(null);

    /// <summary>Completes when every record handed over so far has been written (or refused).</summary>
    public Task DrainedAsync()
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        drainWaiters.Enqueue(marker);
        Poke();
        return marker.Task;
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<TaskCompletionSource> drainWaiters = new();

    private async Task RunAsync()
    {
        var batch = new List<(PendingRecord Record, byte[] Entry)>(options.MaxBatch);
        var scratch = new SpoolCodec.Scratch();
        while (await entries.Reader.WaitToReadAsync())
        {
            long batchBytes = 0;
            while (batch.Count < options.MaxBatch && entries.Reader.TryRead(out var record))
            {
                if (record is null)
                {
                    continue;
                }

                byte[] entry;
                try
                {
                    entry = SpoolCodec.Encode(record.Row, scratch);
                }
                catch (Exception ex)
                {
                    logger.SpoolWriteFailed(ex, 1);
                    record.MarkNotSpooled();
                    continue;
                }

                // A new file also costs its header.
                var cost = entry.Length + (file is null && batch.Count == 0 ? SpoolCodec.FileHeader.Length : 0);
                if (Interlocked.Read(ref bytes) + batchBytes + cost > options.MaxBytes
                    && (!RetireCommitted() || Interlocked.Read(ref bytes) + batchBytes + cost > options.MaxBytes))
                {
                    Refuse(record);
                    continue;
                }

                batch.Add((record, entry));
                batchBytes += cost;
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch);
                batch.Clear();
            }

            if (entries.Reader.Count == 0)
            {
                RetireCommitted();
                while (drainWaiters.TryDequeue(out var waiter))
                {
                    waiter.TrySetResult();
                }

                CaughtUp?.Invoke();
            }
        }

        RetireCommitted();
        if (file is not null)
        {
            // Records in it have not all reached the database: the next start replays it.
            await file.DisposeAsync();
            file = null;
        }

        while (drainWaiters.TryDequeue(out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    private async Task WriteAsync(List<(PendingRecord Record, byte[] Entry)> batch)
    {
        try
        {
            var stream = OpenFile();
            foreach (var (_, entry) in batch)
            {
                await stream.WriteAsync(entry);
            }

            // One fsync for the whole batch: only now is any of it "written".
            stream.Flush(flushToDisk: true);
            foreach (var (record, entry) in batch)
            {
                fileBytes += entry.Length;
                Interlocked.Add(ref bytes, entry.Length);
                lastOrdinalInFile = Math.Max(lastOrdinalInFile, record.Ordinal);
            }

            Interlocked.Add(ref spooled, batch.Count);
            if (fullReported && Interlocked.Read(ref bytes) < options.MaxBytes / 2)
            {
                fullReported = false;
                logger.SpoolRoomAgain(Interlocked.Read(ref bytes), options.MaxBytes);
            }

            foreach (var (record, _) in batch)
            {
                record.MarkSpooled();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A broken spool disk: the records stay in memory for the database, the alarm says so.
            logger.SpoolWriteFailed(ex, batch.Count);
            CloseFile(deleteIfCommitted: false);
            foreach (var (record, _) in batch)
            {
                Refuse(record);
            }
        }
    }

    private FileStream OpenFile()
    {
        if (file is not null)
        {
            return file;
        }

        fileNumber++;
        filePath = Path.Combine(options.Directory, $"spool-{runId}-{fileNumber.ToString("D4", CultureInfo.InvariantCulture)}{SpoolReader.Extension}");
        file = new FileStream(filePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
        file.Write(SpoolCodec.FileHeader);
        fileBytes = SpoolCodec.FileHeader.Length;
        Interlocked.Add(ref bytes, fileBytes);
        lastOrdinalInFile = 0;
        return file;
    }

    private void Refuse(PendingRecord record)
    {
        Interlocked.Increment(ref full);
        if (!fullReported)
        {
            fullReported = true;
            logger.SpoolFull(Interlocked.Read(ref bytes), options.MaxBytes, options.Directory);
        }

        record.MarkNotSpooled();
    }

    /// <summary>Deletes every file whose records are all in the database; true if any was deleted.</summary>
    private bool RetireCommitted()
    {
        var committed = committedThrough();
        var any = false;
        for (var i = retiring.Count - 1; i >= 0; i--)
        {
            if (retiring[i].LastOrdinal <= committed)
            {
                Delete(retiring[i].Path, retiring[i].Bytes);
                retiring.RemoveAt(i);
                any = true;
            }
        }

        if (file is not null && lastOrdinalInFile <= committed)
        {
            CloseFile(deleteIfCommitted: true);
            any = true;
        }

        return any;
    }

    private void CloseFile(bool deleteIfCommitted)
    {
        if (file is null)
        {
            return;
        }

        file.Dispose();
        file = null;
        if (deleteIfCommitted)
        {
            Delete(filePath!, fileBytes);
        }
        else
        {
            // Kept for the next start; its records may not all be in the database.
            retiring.Add((filePath!, fileBytes, lastOrdinalInFile == 0 ? long.MaxValue : lastOrdinalInFile));
        }

        fileBytes = 0;
        lastOrdinalInFile = 0;
    }

    private void Delete(string path, long size)
    {
        try
        {
            File.Delete(path);
            Interlocked.Add(ref bytes, -size);
        }
        catch (IOException ex)
        {
            logger.SpoolWriteFailed(ex, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        entries.Writer.TryComplete();
        await loop;
        await directoryLock.DisposeAsync();
    }
}
