using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Routing.Engine.Hosting;
using Routing.Ledger;

namespace Routing.Engine.Commands;

/// <summary>`routing story &lt;call id&gt;`: a call's whole story from the ledger — the call, every leg, every event
/// in ledger order (who offered, who answered, who classified what, each transfer attempt, the outcome).
/// `routing story position:calltaker-2` prints a position's log in, pauses and states.</summary>
internal static class StoryCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "An extra JSON settings file, applied over appsettings.json." };
        var id = new Argument<string>("id") { Description = "A call id (UUID), or position:<position> for a call-taker position." };
        var command = new Command("story", "Print a call's whole story (or a position's) from the ledger.") { config, id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var root = EngineConfiguration.Load(parse.GetValue(config));
                var ledgerOptions = new LedgerOptions();
                root.GetSection("Ledger").Bind(ledgerOptions);
                var problems = ledgerOptions.Validate();
                if (problems.Count > 0)
                {
                    throw new ConfigurationException(problems);
                }

                await using var ledger = await LedgerFactory.CreateAsync(ledgerOptions, NullLoggerFactory.Instance, TimeProvider.System, cancellationToken).ConfigureAwait(false);
                var lines = await StoryLinesAsync(ledger.Reader, parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
                if (lines is null)
                {
                    await System.Console.Error.WriteLineAsync($"routing: nothing recorded under {parse.GetValue(id)}").ConfigureAwait(false);
                    return 1;
                }

                foreach (var line in lines)
                {
                    System.Console.WriteLine(line);
                }

                return 0;
            }
            catch (ConfigurationException ex)
            {
                await System.Console.Error.WriteLineAsync("routing: " + ex.Message).ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }

    /// <summary>The story as text lines, or null when nothing is recorded under the id.</summary>
    internal static async Task<IReadOnlyList<string>?> StoryLinesAsync(LedgerReader reader, string id, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        if (id.StartsWith("position:", StringComparison.Ordinal))
        {
            var events = await reader.EventsOfAsync(id, 10_000, cancellationToken).ConfigureAwait(false);
            if (events.Count == 0)
            {
                return null;
            }

            lines.Add(id);
            lines.AddRange(events.Select(e => Line(e.Event.At, e.Event.Kind, e.Event.Detail)));
            return lines;
        }

        var history = await reader.GetCallAsync(id, cancellationToken).ConfigureAwait(false);
        if (history is null)
        {
            return null;
        }

        var call = history.Call.Call;
        lines.Add($"call {call.CallId}: {call.CallerNumber} dialled {call.DialedNumber} ({call.Entry}), arrived {Instant(call.ArrivedAt)}");
        foreach (var leg in history.Legs.Select(l => l.Leg))
        {
            lines.Add($"  leg {leg.LegId}: {leg.Agency} via {leg.Trunk} ({leg.Endpoint}), region {leg.Region}, attempt {leg.Attempt}");
        }

        lines.AddRange(history.Events.Select(e => Line(e.Event.At, e.Event.Kind, e.Event.Detail)));
        return lines;
    }

    private static string Line(DateTimeOffset at, string kind, string detail) => $"  {Instant(at)}  {kind,-20} {detail}";

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
