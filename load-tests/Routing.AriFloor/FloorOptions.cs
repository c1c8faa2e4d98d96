using Routing.Asterisk.Ari;

namespace Routing.AriFloor;

/// <summary>What the floor client is told on its command line. The ARI password comes from the
/// environment (ARI_FLOOR_PASSWORD), never from the command line, where `ps` would show it.</summary>
public sealed record FloorOptions(AriOptions Ari, string AgencyEndpoint, bool RestOverWebSocket)
{
    public const string Usage =
        "usage: ari-floor --ari-url http://127.0.0.1:28088/ari/ --user routing --dial PJSIP/fire-almaty-1 " +
        "[--app routing112] [--transport Http|WebSocket]   (password in ARI_FLOOR_PASSWORD)";

    /// <summary>Parses the arguments; an error names the argument and what was wrong with it.</summary>
    public static FloorOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string? url = null, user = null, dial = null, app = "routing112", transport = "Http";
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value. {Usage}");
            var value = args[++i];
            switch (name)
            {
                case "--ari-url": url = value; break;
                case "--user": user = value; break;
                case "--dial": dial = value; break;
                case "--app": app = value; break;
                case "--transport": transport = value; break;
                default: throw new ArgumentException($"unknown argument '{name}'. {Usage}");
            }
        }
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var baseUrl))
            throw new ArgumentException($"--ari-url must be an absolute URL ending in /ari/ (got '{url}'). {Usage}");
        if (string.IsNullOrWhiteSpace(dial) || !dial.Contains('/'))
            throw new ArgumentException($"--dial must be a channel endpoint such as PJSIP/fire-almaty-1 (got '{dial}'). {Usage}");
        if (transport is not ("Http" or "WebSocket"))
            throw new ArgumentException($"--transport must be Http or WebSocket (got '{transport}'). {Usage}");
        var ari = new AriOptions
        {
            BaseUrl = baseUrl,
            User = user ?? "",
            Password = environment("ARI_FLOOR_PASSWORD") ?? "",
            Application = app ?? "",
        };
        var errors = ari.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors) + " (the password comes from ARI_FLOOR_PASSWORD)");
        return new FloorOptions(ari, dial, transport == "WebSocket");
    }
}
