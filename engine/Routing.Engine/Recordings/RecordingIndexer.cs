using Microsoft.Extensions.Logging;
using Routing.Calls.Ports;
using Routing.Ledger;

namespace Routing.Engine.Recordings;

/// <summary>
/// Puts each finished recording on its call's ledger story: path, size, SHA-256, start and end. A file is
/// finished when its call has an outcome and the file has not changed for <see cref="RecordingsOptions.SettleTime"/>.
/// A file whose call the ledger does not know yet (the CEL import has not run, or the engine was down) is
/// tried again on the next pass. Indexing never touches a call in progress.
/// </summary>
public sealed class RecordingIndexer(RecordingsOptions options, LedgerReader reader, ICallJournal journal, TimeProvider time, ILogger logger)
{
    private readonly HashSet<string> _indexed = new(StringComparer.Ordinal);

    public async Task<int> IndexAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(options.Directory)) return 0;
        var root = Path.GetFullPath(options.Directory);
        var indexed = 0;
        foreach (var full in Directory.EnumerateFiles(root, "*.wav", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, full);
            if (_indexed.Contains(relative)) continue;
            var channelId = RecordingFile.ChannelIdOf(full);
            if (channelId is null) continue;

            var calls = await reader.FindByCallerChannelAsync(channelId, cancellationToken).ConfigureAwait(false);
            if (calls.Count == 0) continue; // not on record yet: the next pass will see it
            var history = await reader.GetCallAsync(calls[0].Call.CallId, cancellationToken).ConfigureAwait(false);
            if (history is null || history.IsOpen) continue;
            if (history.Events.Any(e => e.Event.Kind == RecordingFacts.StoredKind && RecordingFacts.FromDetail(e.Event.Detail)?.Path == relative))
            {
                _indexed.Add(relative);
                continue;
            }

            var info = new FileInfo(full);
            var endedAt = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
            if (time.GetUtcNow() - endedAt < options.SettleTime) continue;

            var (bytes, sha) = await RecordingFile.MeasureAsync(full, cancellationToken).ConfigureAwait(false);
            var facts = new RecordingFacts(relative, bytes, sha, history.Call.Call.ArrivedAt, endedAt);
            await journal.AppendAsync(new CallEventRecord(history.Call.Call.CallId, null, time.GetUtcNow(), RecordingFacts.StoredKind, facts.ToDetail()), cancellationToken).ConfigureAwait(false);
            _indexed.Add(relative);
            indexed++;
            LogMessages.RecordingIndexed(logger, history.Call.Call.CallId, relative, bytes);
        }

        return indexed;
    }
}
