using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Routing.Calls.Ports;
using Routing.Engine.Recordings;
using Routing.Ledger;

namespace Routing.Engine.Tests.Recordings;

/// <summary>Recordings that MixMonitor left in the recordings directory, indexed into a real SQLite ledger,
/// verified and purged.</summary>
public sealed class RecordingsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Arrived = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("recordings-");
    private readonly FakeTimeProvider _time = new(Arrived.AddMinutes(10));
    private Ledger.Ledger _ledger = null!;
    private RecordingsOptions _options = null!;

    public async Task InitializeAsync()
    {
        _options = new RecordingsOptions { Directory = Path.Combine(_dir.FullName, "rec"), SettleTime = TimeSpan.FromSeconds(5), Retention = TimeSpan.FromDays(30) };
        _ledger = await LedgerFactory.CreateAsync(
            new LedgerOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(_dir.FullName, "ledger.db")}" },
            NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    private RecordingIndexer Indexer() => new(_options, _ledger.Reader, _ledger.Journal, _time, NullLogger.Instance);

    private RecordingAudit Audit() => new(_options, _ledger.Reader, _ledger.Journal, _time);

    private async Task<string> CallAsync(string channelId, bool ended)
    {
        var callId = Guid.CreateVersion7().ToString();
        await _ledger.Journal.CallArrivedAsync(new CallRecord(callId, channelId, "+77011234567", "112", "112", Arrived), CancellationToken.None);
        if (ended) await _ledger.Journal.AppendAsync(new CallEventRecord(callId, null, Arrived.AddMinutes(2), "outcome", "Completed"), CancellationToken.None);
        return callId;
    }

    private string WriteRecording(string channelId, byte[] audio, DateTimeOffset lastWrite)
    {
        var full = Path.Combine(_options.Directory, RecordingFile.RelativePathFor(channelId, Arrived));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, audio);
        File.SetLastWriteTimeUtc(full, lastWrite.UtcDateTime);
        return full;
    }

    private static byte[] Audio(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public async Task A_finished_recording_is_put_on_its_call_story_once_with_size_hash_and_times()
    {
        var callId = await CallAsync("1796555280.0", ended: true);
        WriteRecording("1796555280.0", Audio(32044), Arrived.AddMinutes(2));

        Assert.Equal(1, await Indexer().IndexAsync(CancellationToken.None));
        Assert.Equal(0, await Indexer().IndexAsync(CancellationToken.None)); // a new indexer (a restart) finds it on record

        var history = await _ledger.Reader.GetCallAsync(callId, CancellationToken.None);
        var stored = Assert.Single(history!.Events, e => e.Event.Kind == RecordingFacts.StoredKind);
        var facts = RecordingFacts.FromDetail(stored.Event.Detail)!;
        Assert.Equal(Path.Combine("2026", "12", "06", "1796555280.0.wav"), facts.Path);
        Assert.Equal(32044, facts.Bytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Audio(32044))), facts.Sha256);
        Assert.Equal(Arrived, facts.StartedAt);
        Assert.Equal(Arrived.AddMinutes(2), facts.EndedAt);
    }

    [Fact]
    public async Task A_call_still_in_progress_or_a_file_still_being_written_is_left_alone()
    {
        await CallAsync("open.1", ended: false);
        WriteRecording("open.1", Audio(100), Arrived.AddMinutes(2));
        await CallAsync("busy.2", ended: true);
        WriteRecording("busy.2", Audio(100), _time.GetUtcNow().AddSeconds(-1)); // changed a second ago

        Assert.Equal(0, await Indexer().IndexAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await Indexer().IndexAsync(CancellationToken.None)); // busy.2 has settled; open.1 still open
    }

    [Fact]
    public async Task A_recording_whose_call_is_not_on_record_yet_is_indexed_once_the_call_is()
    {
        WriteRecording("late.3", Audio(100), Arrived.AddMinutes(2));
        var indexer = Indexer();
        Assert.Equal(0, await indexer.IndexAsync(CancellationToken.None));

        await CallAsync("late.3", ended: true); // e.g. imported from CEL after the engine came back
        Assert.Equal(1, await indexer.IndexAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Verify_names_an_edited_a_truncated_and_a_deleted_recording()
    {
        foreach (var id in new[] { "ok.1", "edited.2", "short.3", "gone.4" })
        {
            await CallAsync(id, ended: true);
            WriteRecording(id, Audio(1000), Arrived.AddMinutes(2));
        }

        await Indexer().IndexAsync(CancellationToken.None);
        var edited = Path.Combine(_options.Directory, RecordingFile.RelativePathFor("edited.2", Arrived));
        var bytes = File.ReadAllBytes(edited);
        bytes[500] ^= 0xFF;
        File.WriteAllBytes(edited, bytes);
        File.WriteAllBytes(Path.Combine(_options.Directory, RecordingFile.RelativePathFor("short.3", Arrived)), Audio(999));
        File.Delete(Path.Combine(_options.Directory, RecordingFile.RelativePathFor("gone.4", Arrived)));

        var verdicts = (await Audit().ListAsync(verify: true, CancellationToken.None)).ToDictionary(s => Path.GetFileNameWithoutExtension(s.Facts.Path), s => s.Verdict);

        Assert.Equal("ok", verdicts["ok.1"]);
        Assert.StartsWith("MISMATCH: sha256", verdicts["edited.2"]);
        Assert.Equal("MISMATCH: 999 bytes on disk, 1000 recorded", verdicts["short.3"]);
        Assert.Equal("MISSING: the file is gone and no purge is on record", verdicts["gone.4"]);
    }

    [Fact]
    public async Task Purge_deletes_only_what_is_past_retention_and_puts_each_purge_on_record_first()
    {
        var oldCall = await CallAsync("old.1", ended: true);
        var oldFile = WriteRecording("old.1", Audio(10), Arrived.AddMinutes(2));
        await CallAsync("new.2", ended: true);
        var newFile = WriteRecording("new.2", Audio(10), Arrived.AddMinutes(2));
        await Indexer().IndexAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(31));
        File.SetLastWriteTimeUtc(newFile, _time.GetUtcNow().UtcDateTime); // unrelated: retention counts from the recorded end

        var dry = await Audit().PurgeAsync(dryRun: true, CancellationToken.None);
        Assert.Equal(2, dry.Count);
        Assert.True(File.Exists(oldFile));

        var purged = await Audit().PurgeAsync(dryRun: false, CancellationToken.None);

        Assert.Equal(2, purged.Count);
        Assert.False(File.Exists(oldFile));
        var history = await _ledger.Reader.GetCallAsync(oldCall, CancellationToken.None);
        Assert.Contains(history!.Events, e => e.Event.Kind == RecordingFacts.PurgedKind);
        Assert.All(await Audit().ListAsync(verify: true, CancellationToken.None), s => Assert.Equal("purged", s.Verdict));
        Assert.Empty(await Audit().PurgeAsync(dryRun: false, CancellationToken.None));
    }

    [Theory]
    [InlineData("notes.txt", null)]
    [InlineData("x y.wav", null)]
    [InlineData("1796555280.0.wav", "1796555280.0")]
    [InlineData("snoop-1796555317.5.WAV", "snoop-1796555317.5")]
    public void Only_files_named_for_a_channel_are_recordings(string name, string? channelId)
    {
        Assert.Equal(channelId, RecordingFile.ChannelIdOf(Path.Combine("2026", "12", "06", name)));
    }

    [Fact]
    public void Retention_shorter_than_a_day_is_refused_by_name()
    {
        Assert.Contains(new RecordingsOptions { Retention = TimeSpan.FromHours(1) }.Validate(), e => e.StartsWith("Recordings:Retention", StringComparison.Ordinal));
    }
}
