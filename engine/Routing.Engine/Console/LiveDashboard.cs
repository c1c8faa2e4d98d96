using Microsoft.Extensions.Hosting;
using Routing.Calls;
using Routing.Engine.Calls;
using System.Globalization;
using Routing.Engine.Centre;
using Routing.Engine.Metrics;
using Routing.Engine.Operators;
using Spectre.Console.Rendering;
using Spectre.Console;

namespace Routing.Engine.Console;

/// <summary>
/// What <c>make run</c> shows: calls per agency and outcome, and live calls per state, refreshed
/// every second. On a terminal it redraws a table; when output is redirected (CI, a log file) it
/// prints one summary line every few seconds instead.
/// </summary>
internal sealed class LiveDashboard(CallRegistry registry, CallTally tally, TimeProvider time, IAnsiConsole console, CentreTally centreTally, CentreService? centre = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (console.Profile.Capabilities.Interactive && !System.Console.IsOutputRedirected)
            {
                await console.Live(Render()).AutoClear(false).StartAsync(async context =>
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
                        context.UpdateTarget(Render());
                    }
                }).ConfigureAwait(false);
            }
            else
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken).ConfigureAwait(false);
                    console.WriteLine(SummaryLine());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal string SummaryLine()
    {
        var line = RunSummary.Line(registry, tally);
        if (centre?.Picture is { } picture)
        {
            var takers = picture.CallTakers.GroupBy(c => c.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}");
            line += $" | queue: {picture.Waiting.Count} waiting, longest {LongestWait(picture):0}s | call-takers [{string.Join(' ', takers)}] | {ServiceLevels()}";
        }

        return line;
    }

    private IRenderable Render() => centre is null ? RenderCalls() : new Rows(RenderCalls(), RenderCentre(centre.Picture));

    private static double LongestWait(CentreDto picture) => picture.Waiting.Count == 0 ? 0 : picture.Waiting.Max(w => w.Waited);

    private string ServiceLevels()
    {
        var parts = CentreMetrics.ServiceLevelSeconds.Select((s, i) => centreTally.ServiceLevel(i) is { } share
            ? string.Create(CultureInfo.InvariantCulture, $"≤{s}s {share:P0}") : $"≤{s}s -");
        var nonEmergency = centreTally.Classified == 0 ? "-" : ((double)centreTally.NonEmergency / centreTally.Classified).ToString("P0", CultureInfo.InvariantCulture);
        return $"answered {centreTally.Answered} ({string.Join(", ", parts)}), abandoned {centreTally.Abandoned}, not an emergency {nonEmergency}";
    }

    /// <summary>The centre: each call-taker with its state and call, and the queue per group.</summary>
    private Table RenderCentre(CentreDto picture)
    {
        var now = picture.At;
        var table = new Table().Title("[bold]112 centre — call-takers and queue[/]").Border(TableBorder.Rounded);
        table.AddColumn("position");
        table.AddColumn("user");
        table.AddColumn("group");
        table.AddColumn("state");
        table.AddColumn(new TableColumn("for").RightAligned());
        table.AddColumn("call");
        foreach (var c in picture.CallTakers)
        {
            var state = c.State switch
            {
                "OnCall" => "[green]OnCall[/]",
                "Offered" => "[yellow]Offered[/]",
                "Paused" => $"[red]Paused[/] {Markup.Escape(c.PauseReason ?? "")}",
                "WrapUp" => "[blue]WrapUp[/]",
                _ => Markup.Escape(c.State),
            };
            if (!c.Reachable && c.State != "LoggedOut")
            {
                state += " [red](unreachable)[/]";
            }

            table.AddRow(
                Markup.Escape(c.Position),
                Markup.Escape(c.User ?? "-"),
                Markup.Escape(string.Join(",", c.Groups)),
                state,
                CentreDtoMapping.Seconds(now - c.Since).ToString("0", CultureInfo.InvariantCulture) + "s",
                Markup.Escape(c.CallId is { } id ? id[^8..] : ""));
        }

        var groups = picture.Groups.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Name} {g.Waiting} waiting{(g.Waiting > 0 ? $" (longest {g.LongestWait:0}s)" : "")}"));
        var priorities = picture.Waiting.GroupBy(w => w.Priority).Select(g => $"{g.Key} {g.Count()}");
        table.Caption(Markup.Escape($"queue: {string.Join(" · ", groups)}  [{string.Join(", ", priorities)}]\n{ServiceLevels()}"));
        return table;
    }

    private Table RenderCalls()
    {
        var snapshot = tally.Snapshot();
        var outcomes = Enum.GetValues<CallOutcome>();
        var table = new Table().Title("[bold]112 routing — calls by agency and outcome[/]").Border(TableBorder.Rounded);
        table.AddColumn("agency");
        foreach (var outcome in outcomes)
        {
            table.AddColumn(new TableColumn(outcome.ToString()).RightAligned());
        }

        table.AddColumn(new TableColumn("total").RightAligned());
        foreach (var agency in snapshot.Keys.Select(k => k.Agency).Distinct().Order())
        {
            var cells = outcomes.Select(o => snapshot.GetValueOrDefault((agency, o)).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var total = outcomes.Sum(o => snapshot.GetValueOrDefault((agency, o)));
            table.AddRow([Markup.Escape(agency), .. cells, total.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        var live = registry.Active.GroupBy(c => c.Snapshot.State).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
        table.Caption($"live calls: {registry.Count}  ({string.Join(", ", live)})  ·  ARI {(EngineMetrics.AriConnected.Value >= 1 ? "[green]connected[/]" : "[red]disconnected[/]")}");
        return table;
    }
}
