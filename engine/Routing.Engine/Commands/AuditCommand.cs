using System.CommandLine;
using System.Globalization;
using Routing.Engine.Hosting;
using Routing.Ledger;
using Routing.Ledger.Audit;
using Routing.Ledger.Storage;

namespace Routing.Engine.Commands;

/// <summary>
/// `routing audit verify [--from N --to M]`: walks the ledger's hash chains and signed checkpoints
/// and names the first broken link of each node, with the call and the row (exit 0 intact, 1 broken,
/// 2 configuration). `routing audit export --call ID`: the call's story as JSON with its proof.
/// Both only read (SELECT), with the ledger settings of the engine's configuration.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var audit = new Command("audit", "Check the ledger for tampering, or export a call's story with its proof.");
        audit.Subcommands.Add(Verify());
        audit.Subcommands.Add(Export());
        return audit;
    }

    private static Option<string?> ConfigOption() => new("--config") { Description = "An extra JSON settings file, applied over appsettings.json." };

    private static Command Verify()
    {
        var config = ConfigOption();
        var from = new Option<long?>("--from") { Description = "First chain position to check (default: the first)." };
        var to = new Option<long?>("--to") { Description = "Last chain position to check (default: the newest)." };
        var command = new Command("verify", "Walk the hash chains and checkpoints; name the first broken link per node.") { config, from, to };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(from) is < 1 || parse.GetValue(to) is < 1 || parse.GetValue(from) > parse.GetValue(to))
            {
                await System.Console.Error.WriteLineAsync("routing audit verify: --from and --to are chain positions from 1, with --from <= --to").ConfigureAwait(false);
                return 2;
            }

            return await WithLedgerAsync(parse.GetValue(config), async (connections, options) =>
            {
                var report = await new AuditVerifier(connections, options.Chain).VerifyAsync(parse.GetValue(from), parse.GetValue(to), ct).ConfigureAwait(false);
                foreach (var warning in report.Warnings)
                {
                    await System.Console.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
                }

                foreach (var node in report.Nodes)
                {
                    System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"node {node.NodeId}: positions {node.From}..{node.To}, {node.Rows} rows, {node.Checkpoints} signed checkpoints"));
                }

                foreach (var finding in report.Findings)
                {
                    System.Console.WriteLine("BROKEN " + finding);
                }

                System.Console.WriteLine(report.Intact ? "audit verify: intact" : $"audit verify: {report.Findings.Count} broken link(s)");
                return report.Intact ? 0 : 1;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Export()
    {
        var config = ConfigOption();
        var call = new Option<string>("--call") { Description = "The call id.", Required = true };
        var command = new Command("export", "Print a call's story as JSON with its proof (hashes, canonical bytes, covering checkpoint).") { config, call };
        command.SetAction(async (parse, ct) =>
            await WithLedgerAsync(parse.GetValue(config), async (connections, options) =>
            {
                var callId = parse.GetValue(call)!;
                var document = await new CallProofExporter(connections, options.Chain).ExportAsync(callId, ct).ConfigureAwait(false);
                if (document is null)
                {
                    await System.Console.Error.WriteLineAsync($"routing audit export: the ledger holds no row of call {callId}").ConfigureAwait(false);
                    return 1;
                }

                System.Console.WriteLine(CallProofExporter.ToJson(document));
                return 0;
            }).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> WithLedgerAsync(string? extraFile, Func<LedgerConnectionFactory, LedgerOptions, Task<int>> action)
    {
        try
        {
            var options = EngineConfiguration.BindLedger(EngineConfiguration.Load(extraFile));
            var connections = new LedgerConnectionFactory(LedgerDialects.ForProvider(options.Provider), options.ConnectionString);
            return await action(connections, options).ConfigureAwait(false);
        }
        catch (ConfigurationException ex)
        {
            await System.Console.Error.WriteLineAsync("routing: " + ex.Message).ConfigureAwait(false);
            return 2;
        }
    }
}
