using Routing.Calls;
using Routing.Calls.Centre;
using Routing.Calls.Routing;
using Routing.Checks.Asterisk;
using Routing.Checks.Settings;

namespace Routing.Checks.Checks;

/// <summary>
/// Video calls (<c>Routing:Video</c>) against pjsip.conf: a video entry's call keeps its video only where every endpoint
/// it passes allows a video codec — the callers' endpoints whose context brings that entry into Stasis(), the call-taker
/// positions (<c>Centre:Positions</c>) and every agency trunk it can be handed to (a call-taker may hand any call to any
/// agency, and overflow reaches other regions and the national trunks). Asterisk negotiates codecs per endpoint
/// (<c>allow</c>/<c>disallow</c>, templates first, in order) and passes video without transcoding: an endpoint without
/// a video codec gets no video stream, and the bridge's video goes nowhere on that side.
/// </summary>
internal static class VideoCheck
{
    /// <summary>The video codecs Asterisk 23 knows (main/codec_builtin.c).</summary>
    private static readonly HashSet<string> VideoCodecs = new(StringComparer.OrdinalIgnoreCase) { "h261", "h263", "h263p", "h264", "h265", "vp8", "vp9", "mpeg4", "av1" };

    public static void Run(AppSettingsFile settings, RoutingOptions routing, CentreOptions? centre, PjsipCheck pjsip, Dialplan? dialplan, Findings findings)
    {
        var entries = (routing.Video?.Entries ?? []).Where(e => Enum.TryParse<CallEntry>(e, ignoreCase: true, out _)).ToList();
        if (entries.Count == 0) return;
        var setting = $"{RoutingOptions.Section}:Video:Entries";
        var why = $"{setting} ({string.Join(", ", entries)}, {settings.Path}:{settings.LineOf(setting)})";

        var reported = new HashSet<string>(StringComparer.Ordinal);
        void Require(ConfSection endpoint, string role)
        {
            if (!reported.Add(endpoint.Name)) return;
            var codecs = Codecs(endpoint);
            if (codecs.Overlaps(VideoCodecs) || codecs.Contains("all")) return;
            findings.Error(endpoint.File, endpoint.Line,
                $"endpoint [{endpoint.Name}] ({role}) allows no video codec ({(codecs.Count == 0 ? "none" : string.Join(",", codecs))}): a video call of {why} would lose its video there; allow h264 or vp8 on it");
        }

        if (dialplan is not null)
        {
            var contexts = EntryContexts(dialplan, entries);
            foreach (var endpoint in pjsip.Endpoints.Values)
            {
                if (endpoint.Value("context") is { } context && contexts.TryGetValue(context, out var entry)) Require(endpoint, $"callers of the video entry {entry}");
            }
        }

        foreach (var position in CentreCheck.PositionEndpoints(centre))
            if (pjsip.Endpoints.TryGetValue(position, out var endpoint)) Require(endpoint, "call-taker position");

        foreach (var (_, trunk) in RoutingTrunks.All(routing))
            if (RoutingTrunks.PjsipEndpoint(trunk.Endpoint) is { } name && pjsip.Endpoints.TryGetValue(name, out var endpoint)) Require(endpoint, "agency trunk");
    }

    /// <summary>Context → the video entry its Stasis() brings calls in as (the engine's CallClassifier reading of the args).</summary>
    private static Dictionary<string, string> EntryContexts(Dialplan dialplan, List<string> entries)
    {
        var contexts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var stasis in dialplan.Steps.Where(s => s.Is("Stasis")))
        {
            var args = stasis.Args.Skip(1).Select(a => a.Trim()).ToList();
            var entry = (args.FirstOrDefault() ?? "").ToLowerInvariant() switch
            {
                "" or "112" => CallEntry.Emergency112,
                "app" => CallEntry.App,
                "direct" => CallEntry.Direct,
                "sos" => CallEntry.Sos,
                _ => (CallEntry?)null,
            };
            if (entry is { } e && entries.Contains(e.ToString(), StringComparer.OrdinalIgnoreCase)) contexts.TryAdd(stasis.Context, e.ToString());
        }
        return contexts;
    }

    /// <summary>The endpoint's codecs as res_pjsip builds them: each <c>allow</c>/<c>disallow</c> line in order (templates
    /// first), <c>disallow = all</c> clearing what came before.</summary>
    internal static HashSet<string> Codecs(ConfSection endpoint)
    {
        var codecs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in endpoint.Entries)
        {
            var allow = string.Equals(entry.Key, "allow", StringComparison.OrdinalIgnoreCase);
            if (!allow && !string.Equals(entry.Key, "disallow", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var codec in entry.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var name = codec.Split(':')[0]; // allow = h264:... carries options after a colon in some versions
                if (!allow && name.Equals("all", StringComparison.OrdinalIgnoreCase)) codecs.Clear();
                else if (allow) codecs.Add(name);
                else codecs.Remove(name);
            }
        }
        return codecs;
    }
}
