namespace Routing.Engine.Location;

/// <summary>
/// How locations reach the engine from outside a call's own signalling (<c>LocationIntake</c>): the AML endpoint
/// for the handset's message (HTTPS form, or the SMS handed in by a gateway), the SBC's hand-over of a PIDF-LO
/// body, and the by-reference <c>Geolocation: &lt;https://…&gt;</c> the engine dereferences itself. Validated at start.
/// </summary>
public sealed class LocationIntakeOptions
{
    public const string Section = "LocationIntake";

    /// <summary>Serve <c>POST /location/aml</c>, <c>/location/aml/sms</c> and <c>/location/pidf</c>; off: they answer 404.</summary>
    public bool Enabled { get; set; }

    /// <summary>Shared secret the AML provider, the SMS gateway and the SBC send as <c>Authorization: Bearer …</c>.
    /// At least 24 characters when <see cref="Enabled"/>; never logged.</summary>
    public string Token { get; set; } = "";

    /// <summary>Largest AML body accepted (HTTPS form or SMS); an AML message is a few hundred bytes.</summary>
    public int MaxAmlBytes { get; set; } = 4096;

    /// <summary>Largest PIDF-LO hand-over or fetched document; a PIDF-LO is a few kilobytes at most.</summary>
    public int MaxPidfBytes { get; set; } = 64 * 1024;

    /// <summary>Read the caller's <c>Geolocation</c> / <c>Geolocation-Routing</c> headers over ARI
    /// (<c>PJSIP_HEADER(read,…)</c>: header text only, never res_geolocation's parser) for PJSIP callers.</summary>
    public bool ReadSipHeaders { get; set; } = true;

    /// <summary>Hosts whose <c>https:</c> location URIs the engine may fetch (exact names, e.g. the interconnect's
    /// location server). Empty: by-reference locations are recorded as refused, never fetched.</summary>
    public List<string> FetchAllowedHosts { get; set; } = [];

    /// <summary>Longest a by-reference fetch may take.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Lab and test only: also fetch <c>http:</c> URIs of allowed hosts.</summary>
    public bool AllowPlainHttpFetch { get; set; }

    /// <summary>Ended calls kept for matching late AML messages (bounded; their time is <c>Routing:Location:AmlLateTolerance</c>).</summary>
    public int RecentCalls { get; set; } = 2000;

    /// <summary>AML messages held for a call that has not arrived yet (the SMS can overtake the call), at most this many.</summary>
    public int MaxHeld { get; set; } = 200;

    public IEnumerable<string> Validate()
    {
        const string p = Section;
        if (Enabled && (string.IsNullOrWhiteSpace(Token) || Token.Length < 24))
            yield return $"{p}:Token must be at least 24 characters when {p}:Enabled is true (a shared secret of the AML provider, SMS gateway and SBC)";
        if (Token.Any(char.IsControl) || Token.Contains(' ', StringComparison.Ordinal))
            yield return $"{p}:Token must not hold spaces or control characters";
        if (MaxAmlBytes is < 256 or > 65536) yield return $"{p}:MaxAmlBytes must be between 256 and 65536";
        if (MaxPidfBytes is < 1024 or > 1024 * 1024) yield return $"{p}:MaxPidfBytes must be between 1024 and 1048576";
        if (FetchTimeout <= TimeSpan.Zero || FetchTimeout > TimeSpan.FromSeconds(10)) yield return $"{p}:FetchTimeout must be above zero and at most 10 s (a caller is waiting)";
        if (RecentCalls is < 0 or > 100_000) yield return $"{p}:RecentCalls must be between 0 and 100000";
        if (MaxHeld is < 0 or > 10_000) yield return $"{p}:MaxHeld must be between 0 and 10000";
        for (var i = 0; i < FetchAllowedHosts.Count; i++)
        {
            var host = FetchAllowedHosts[i];
            if (string.IsNullOrWhiteSpace(host) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
                yield return $"{p}:FetchAllowedHosts:{i} '{new string((host ?? "").Take(60).Where(c => !char.IsControl(c)).ToArray())}' is not a host name";
        }
    }

    public override string ToString() => $"Enabled={Enabled}, Token={(Token.Length > 0 ? "***" : "(none)")}, FetchAllowedHosts=[{string.Join(", ", FetchAllowedHosts)}]";
}
