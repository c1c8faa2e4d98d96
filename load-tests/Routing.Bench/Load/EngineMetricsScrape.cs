using System.Globalization;

namespace Routing.Bench.Load;

/// <summary>
/// Reads the engine's own health counters from its admin port (/metrics, Prometheus text), as an
/// operator would: events lost to a full buffer, frames rejected, websocket (re)connections, events
/// for channels no call owns. The counters live for the whole process, so a run reports differences.
/// </summary>
public sealed record EngineCounters(double EventsLost, double FramesRejected, double Connections, double Unowned)
{
    // 5 s was lost to a busy box: at load average 65 the first scrape (its handler still being JIT-compiled)
    // took longer and failed both transport runs before they started.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<EngineCounters> ScrapeAsync(Uri admin, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = Timeout };
        var text = await http.GetStringAsync(new Uri(admin, "/metrics"), cancellationToken);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            if (space <= 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            var name = line[..space];
            var brace = name.IndexOf('{', StringComparison.Ordinal);
            if (brace >= 0) name = name[..brace];
            sums[name] = sums.GetValueOrDefault(name) + value;
        }

        return new EngineCounters(
            sums.GetValueOrDefault("routing_ari_events_lost_total"),
            sums.GetValueOrDefault("routing_ari_frames_rejected_total"),
            sums.GetValueOrDefault("routing_ari_connections_total"),
            sums.GetValueOrDefault("routing_ari_unowned_events_total"));
    }

    public EngineCounters Since(EngineCounters start) =>
        new(EventsLost - start.EventsLost, FramesRejected - start.FramesRejected, Connections - start.Connections, Unowned - start.Unowned);
}
