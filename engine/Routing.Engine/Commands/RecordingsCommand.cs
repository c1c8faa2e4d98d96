using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Routing.Engine.Hosting;
using Routing.Engine.Recordings;
using Routing.Ledger;

namespace Routing.Engine.Commands;

/// <summary>`routing recordings list | verify | purge`: the recordings the ledger knows, checked against the disk.</summary>
internal static class RecordingsCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "An extra JSON settings file, applied over appsettings.json." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be purged." };

        var list = new Command("list", "List every recording on record: call, file, size, SHA-256, start and end.") { config };
        list.SetAction((parse, ct) => RunAsync(parse.GetValue(config), async (audit, c) => Print(await audit.ListAsync(verify: false, c)), ct));

        var verify = new Command("verify", "Check every recording's size and SHA-256 against the ledger; exit 1 on any mismatch or missing file.") { config };
        verify.SetAction((parse, ct) => RunAsync(parse.GetValue(config), async (audit, c) =>
        {
            var states = await audit.ListAsync(verify: true, c);
            Print(states);
            var bad = states.Count(s => s.Verdict.StartsWith("MISMATCH", StringComparison.Ordinal) || s.Verdict.StartsWith("MISSING", StringComparison.Ordinal) || s.Verdict.StartsWith("ledger row", StringComparison.Ordinal));
            System.Console.WriteLine($"{states.Count} recording(s), {bad} failed verification");
            return bad == 0 ? 0 : 1;
        }, ct));

        var purge = new Command("purge", "Delete recordings older than Recordings:Retention, recording each purge on its call's story first.") { config, dryRun };
        purge.SetAction((parse, ct) => RunAsync(parse.GetValue(config), async (audit, c) =>
        {
            var purged = await audit.PurgeAsync(parse.GetValue(dryRun), c);
            foreach (var r in purged) System.Console.WriteLine($"{(parse.GetValue(dryRun) ? "would purge" : "purged")} {r.Facts.Path} (call {r.CallId}, ended {r.Facts.EndedAt:u})");
            System.Console.WriteLine($"{purged.Count} recording(s) past retention");
            return 0;
        }, ct));

        return new Command("recordings", "Call recordings: list, verify hashes, purge past retention.") { list, verify, purge };
    }

    private static async Task<int> RunAsync(string? extraFile, Func<RecordingAudit, CancellationToken, Task<int>> job, CancellationToken cancellationToken)
    {
        try
        {
            var root = EngineConfiguration.Load(extraFile);
            var ledgerOptions = EngineConfiguration.BindValidated<LedgerOptions>(root, "Ledger", o => o.Validate());
            var recordings = EngineConfiguration.BindValidated<RecordingsOptions>(root, RecordingsOptions.Section, o => o.Validate());
            await using var ledger = await LedgerFactory.CreateAsync(ledgerOptions, NullLoggerFactory.Instance, TimeProvider.System, cancellationToken);
            return await job(new RecordingAudit(recordings, ledger.Reader, ledger.Journal, TimeProvider.System), cancellationToken);
        }
        catch (ConfigurationException ex)
        {
            System.Console.Error.WriteLine("routing: " + ex.Message);
            return 2;
        }
    }

    private static int Print(IReadOnlyList<RecordingState> states)
    {
        foreach (var s in states)
        {
            System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.CallId}  {s.Facts.Path}  {s.Facts.Bytes} B  sha256 {s.Facts.Sha256}  {s.Facts.StartedAt:u} .. {s.Facts.EndedAt:u}  {s.Verdict}"));
        }

        return 0;
    }
}
