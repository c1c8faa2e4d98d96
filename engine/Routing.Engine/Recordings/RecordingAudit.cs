using Routing.Calls.Ports;
using Routing.Ledger;

namespace Routing.Engine.Recordings;

/// <summary>One recording as the ledger has it, and what the disk says now.</summary>
public sealed record RecordingState(string CallId, RecordingFacts Facts, bool Purged, string Verdict);

/// <summary>
/// The <c>routing recordings</c> jobs over the ledger and the recordings directory: list, verify (size and
/// SHA-256 against what was recorded when the file was finished), and purge past retention — each purge is
/// written to the call's story before the file is deleted, so a missing file is always explained.
/// </summary>
public sealed class RecordingAudit(RecordingsOptions options, LedgerReader reader, ICallJournal journal, TimeProvider time)
{
    public async Task<IReadOnlyList<RecordingState>> ListAsync(bool verify, CancellationToken cancellationToken)
    {
        var stored = await reader.ListEventsOfKindAsync(RecordingFacts.StoredKind, cancellationToken).ConfigureAwait(false);
        var purged = (await reader.ListEventsOfKindAsync(RecordingFacts.PurgedKind, cancellationToken).ConfigureAwait(false))
            .Select(e => (e.Event.CallId, Path: RecordingFacts.FromDetail(e.Event.Detail)?.Path)).ToHashSet();
        var result = new List<RecordingState>();
        foreach (var e in stored)
        {
            var facts = RecordingFacts.FromDetail(e.Event.Detail);
            if (facts is null)
            {
                result.Add(new RecordingState(e.Event.CallId, new RecordingFacts("?", 0, "", e.Event.At, e.Event.At), false, $"ledger row {e.Seq}: detail is not a recording record"));
                continue;
            }

            var isPurged = purged.Contains((e.Event.CallId, facts.Path));
            var verdict = isPurged ? "purged" : verify ? await VerifyAsync(facts, cancellationToken).ConfigureAwait(false) : "recorded";
            result.Add(new RecordingState(e.Event.CallId, facts, isPurged, verdict));
        }

        return result;
    }

    private async Task<string> VerifyAsync(RecordingFacts facts, CancellationToken cancellationToken)
    {
        var full = Path.Combine(options.Directory, facts.Path);
        if (!File.Exists(full)) return "MISSING: the file is gone and no purge is on record";
        var (bytes, sha) = await RecordingFile.MeasureAsync(full, cancellationToken).ConfigureAwait(false);
        if (bytes != facts.Bytes) return $"MISMATCH: {bytes} bytes on disk, {facts.Bytes} recorded";
        return sha == facts.Sha256 ? "ok" : $"MISMATCH: sha256 {sha} on disk, {facts.Sha256} recorded";
    }

    /// <returns>The recordings purged (or that would be, with <paramref name="dryRun"/>).</returns>
    public async Task<IReadOnlyList<RecordingState>> PurgeAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Retention;
        var due = (await ListAsync(verify: false, cancellationToken).ConfigureAwait(false))
            .Where(r => !r.Purged && r.Facts.EndedAt < cutoff && r.Facts.Path != "?")
            .ToList();
        if (dryRun) return due;
        foreach (var r in due)
        {
            // Write before act: the purge is on the call's story before the file goes.
            await journal.AppendAsync(new CallEventRecord(r.CallId, null, time.GetUtcNow(), RecordingFacts.PurgedKind,
                r.Facts.ToDetail()), cancellationToken).ConfigureAwait(false);
            File.Delete(Path.Combine(options.Directory, r.Facts.Path));
        }

        return due;
    }
}
