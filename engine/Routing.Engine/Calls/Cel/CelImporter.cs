using Microsoft.Extensions.Logging;
using Routing.Calls.Ports;

namespace Routing.Engine.Calls.Cel;

/// <summary>What one pass over CEL lines did.</summary>
internal sealed record CelImportResult(int Lines, int Rejected, int Recorded, int AlreadyKnown, int Pending, string? FirstError);

/// <summary>
/// Feeds CEL lines in file order into per-linkedid stories and records each completed fallback story in
/// the ledger, unless the ledger already holds a call for that caller channel (the engine saw it live, in
/// Stasis or over AMI). A linkedid is complete at LINKEDID_END, or when every channel in it has ended.
/// Malformed lines are named (file:line: what) and skipped; the rest goes on.
/// </summary>
internal sealed class CelImporter(ICallJournal journal, Func<string, CancellationToken, Task<bool>> callerChannelKnown, TimeSpan utcOffset, ILogger logger)
{
    /// <summary>Linkedids waiting for their end; beyond this the oldest is told as it is (bounded memory).</summary>
    public const int MaxPending = 20_000;

    private readonly Dictionary<string, List<CelRow>> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Pending => _pending.Count;

    public async Task<CelImportResult> ConsumeAsync(IEnumerable<(long Number, string Text)> lines, string source, CancellationToken cancellationToken)
    {
        int count = 0, rejected = 0, recorded = 0, known = 0;
        string? firstError = null;
        foreach (var (number, text) in lines)
        {
            if (text.Length == 0) continue;
            count++;
            if (!CelCsv.TryParseLine(text, out var fields, out var error) || !CelRow.TryFrom(fields, utcOffset, out var row, out error))
            {
                rejected++;
                firstError ??= $"{source}:{number}: {error}";
                LogMessages.CelLineRejected(logger, source, number, error!);
                continue;
            }

            if (!_pending.TryGetValue(row!.LinkedId, out var rows))
            {
                rows = [];
                _pending[row.LinkedId] = rows;
                _order.Enqueue(row.LinkedId);
            }

            rows.Add(row);
            if (IsComplete(rows))
            {
                _pending.Remove(row.LinkedId);
                var (r, k) = await RecordAsync(rows, cancellationToken).ConfigureAwait(false);
                recorded += r;
                known += k;
            }

            while (_pending.Count > MaxPending && _order.TryDequeue(out var oldest))
            {
                if (!_pending.Remove(oldest, out var stale)) continue;
                var (r, k) = await RecordAsync(stale, cancellationToken).ConfigureAwait(false);
                recorded += r;
                known += k;
            }
        }

        return new CelImportResult(count, rejected, recorded, known, _pending.Count, firstError);
    }

    private static bool IsComplete(List<CelRow> rows)
    {
        if (rows[^1].EventType == "LINKEDID_END") return true;
        var channels = rows.Select(r => r.UniqueId).Distinct(StringComparer.Ordinal);
        return channels.All(id => rows.Any(r => r.UniqueId == id && r.EventType == "CHAN_END"));
    }

    private async Task<(int Recorded, int Known)> RecordAsync(List<CelRow> rows, CancellationToken cancellationToken)
    {
        var story = CelFallbackStory.From(rows);
        if (story is null) return (0, 0);
        if (await callerChannelKnown(story.Call.CallerChannelId, cancellationToken).ConfigureAwait(false)) return (0, 1);

        await journal.CallArrivedAsync(story.Call, cancellationToken).ConfigureAwait(false);
        foreach (var leg in story.Legs) await journal.LegPlannedAsync(leg, cancellationToken).ConfigureAwait(false);
        foreach (var e in story.Events) await journal.AppendAsync(e, cancellationToken).ConfigureAwait(false);
        LogMessages.CelFallbackCallRecorded(logger, story.Call.CallId, story.Call.CallerChannelId, story.Legs.Count);
        return (1, 0);
    }
}
