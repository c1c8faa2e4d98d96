using Microsoft.Extensions.Logging;
using Routing.Calls.Ports;

namespace Routing.Engine.Calls.Cel;

/// <summary>What one pass over CEL lines did.</summary>
/// <param name="Texts">Of <paramref name="Recorded"/>, texts the dialplan forwarded while the engine was away.</param>
internal sealed record CelImportResult(int Lines, int Rejected, int Recorded, int AlreadyKnown, int Pending, string? FirstError, int Texts = 0);

/// <summary>
/// Feeds CEL lines in file order into per-linkedid stories and records each completed fallback story in
/// the ledger, unless the ledger already holds a call for that caller channel (the engine saw it live, in
/// Stasis or over AMI). A linkedid is complete at LINKEDID_END, or when every channel in it has ended.
/// Malformed lines are named (file:line: what) and skipped; the rest goes on. A text the dialplan forwarded on its own
/// (<see cref="CelTextFallback"/>) is one row and recorded at once; every other row of Asterisk's message channel
/// (<c>Message/ast_msg_queue</c>, one channel reused for every MESSAGE, never ended) is passed over — kept, it would
/// pile up under one linkedid that never completes.
/// </summary>
internal sealed class CelImporter(ICallJournal journal, Func<string, CancellationToken, Task<bool>> callerChannelKnown, TimeSpan utcOffset, ILogger logger)
{
    /// <summary>Linkedids waiting for their end; beyond this the oldest is told as it is (bounded memory).</summary>
    public const int MaxPending = 20_000;

    private readonly Dictionary<string, List<CelRow>> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Pending => _pending.Count;

    /// <summary>main/message.c names the channel every MESSAGE's dialplan runs on <c>Message/ast_msg_queue</c>.</summary>
    private const string MessageChannelPrefix = "Message/";

    public async Task<CelImportResult> ConsumeAsync(IEnumerable<(long Number, string Text)> lines, string source, CancellationToken cancellationToken)
    {
        int count = 0, rejected = 0, recorded = 0, known = 0, texts = 0;
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

            if (CelTextFallback.IsMarker(row!))
            {
                var forwarded = CelTextFallback.From(row!, out error);
                if (forwarded is null)
                {
                    rejected++;
                    firstError ??= $"{source}:{number}: {error}";
                    LogMessages.CelLineRejected(logger, source, number, error!);
                }
                else if (await callerChannelKnown(forwarded.Call.CallerChannelId, cancellationToken).ConfigureAwait(false))
                {
                    known++;
                }
                else
                {
                    await journal.CallArrivedAsync(forwarded.Call, cancellationToken).ConfigureAwait(false);
                    foreach (var e in forwarded.Events) await journal.AppendAsync(e, cancellationToken).ConfigureAwait(false);
                    LogMessages.CelFallbackTextRecorded(logger, forwarded.Call.CallId, forwarded.Call.CallerNumber);
                    recorded++;
                    texts++;
                }

                continue;
            }

            if (row!.Channel.StartsWith(MessageChannelPrefix, StringComparison.Ordinal)) continue;

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

        return new CelImportResult(count, rejected, recorded, known, _pending.Count, firstError, texts);
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
