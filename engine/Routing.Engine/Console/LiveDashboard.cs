using Microsoft.Extensions.Hosting;
using Routing.Calls;
using Routing.Engine.Calls;
using Routing.Engine.Metrics;
using Spectre.Console;

namespace Routing.Engine.Console;

/// <summary>
/// What <c>make run</c> shows: calls per agency and outcome, and live calls per state, refreshed
/// every second. On a terminal it redraws a table; when output is redirected (CI, a log file) it
/// prints one summary line every few seconds instead.
/// </summary>
internal sealed class LiveDashboard(CallRegistry registry, CallTally tally, TimeProvider time, IAnsiConsole console) : BackgroundService
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

    internal string SummaryLine() => RunSummary.Line(registry, tally);

    private Table Render()
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
