namespace Routing.Asterisk.Ari;

/// <summary>Connection to Asterisk's ARI. Bound from configuration section "Asterisk:Ari"; the password comes
/// from configuration or environment, never from code, and <see cref="ToString"/> masks it.</summary>
public sealed class AriOptions
{
    public const string SectionName = "Asterisk:Ari";

    /// <summary>REST base, ending in /ari/, e.g. http://127.0.0.1:8088/ari/. The websocket URL is derived from it.</summary>
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:8088/ari/");

    /// <summary>The Stasis application name the dialplan sends calls to.</summary>
    public string Application { get; set; } = "routing112";

    public string User { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>Hard limit for one REST request, queueing for a pooled connection included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>HTTP connections to Asterisk. Asterisk's HTTP server caps sessions (100 by default); going over it hangs requests.</summary>
    public int MaxConnections { get; set; } = 16;

    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events buffered between the websocket reader and the engine before they are dropped and counted.</summary>
    public int EventBufferCapacity { get; set; } = 10_000;

    /// <summary>Receive every Asterisk event, not only those of resources the app holds (an observer app).</summary>
    public bool SubscribeAll { get; set; }

    /// <summary>WebSocket ping interval; a peer that does not answer within the same time is taken as gone.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest websocket message accepted; a bigger one is rejected, the connection goes on.</summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>ws(s)://host/ari/events?app=...&amp;subscribeAll=... (credentials go in the Authorization header, not here).</summary>
    public Uri EventsUrl
    {
        get
        {
            var builder = new UriBuilder(new Uri(BaseUrl, "events"))
            {
                Scheme = BaseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
                Query = $"app={Uri.EscapeDataString(Application)}&subscribeAll={(SubscribeAll ? "true" : "false")}",
            };
            return builder.Uri;
        }
    }

    /// <summary>Every problem, each naming its configuration key. Empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        const string p = SectionName + ":";
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps)
            || !BaseUrl.AbsolutePath.EndsWith("/ari/", StringComparison.Ordinal))
            errors.Add($"{p}BaseUrl must be an absolute http(s) URL ending in /ari/ (got '{BaseUrl}')");
        if (string.IsNullOrWhiteSpace(Application) || Application.Any(c => c is ',' or '&' or '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)))
            errors.Add($"{p}Application must be a non-empty Stasis app name without spaces, ',', '&', '?' or '#' (got '{Application}')");
        if (string.IsNullOrEmpty(User) || User.Contains(':'))
            errors.Add($"{p}User must be set and must not contain ':'");
        if (string.IsNullOrEmpty(Password))
            errors.Add($"{p}Password must be set (from configuration or environment)");
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
            errors.Add($"{p}RequestTimeout must be between 0 and 5 minutes (got {RequestTimeout})");
        if (MaxConnections is < 1 or > 90)
            errors.Add($"{p}MaxConnections must be 1..90, below Asterisk's HTTP session limit of 100 (got {MaxConnections})");
        if (ReconnectMinDelay <= TimeSpan.Zero)
            errors.Add($"{p}ReconnectMinDelay must be positive (got {ReconnectMinDelay})");
        if (ReconnectMaxDelay < ReconnectMinDelay)
            errors.Add($"{p}ReconnectMaxDelay must be >= ReconnectMinDelay (got {ReconnectMaxDelay} < {ReconnectMinDelay})");
        if (EventBufferCapacity < 1)
            errors.Add($"{p}EventBufferCapacity must be at least 1 (got {EventBufferCapacity})");
        if (KeepAliveInterval < TimeSpan.Zero)
            errors.Add($"{p}KeepAliveInterval must not be negative (got {KeepAliveInterval})");
        if (MaxMessageBytes < 1024)
            errors.Add($"{p}MaxMessageBytes must be at least 1024 (got {MaxMessageBytes})");
        return errors;
    }

    public override string ToString() =>
        $"BaseUrl={BaseUrl}, Application={Application}, User={User}, Password={(string.IsNullOrEmpty(Password) ? "(unset)" : "****")}, " +
        $"RequestTimeout={RequestTimeout}, MaxConnections={MaxConnections}, Reconnect={ReconnectMinDelay}..{ReconnectMaxDelay}, " +
        $"EventBufferCapacity={EventBufferCapacity}, SubscribeAll={SubscribeAll}";
}
