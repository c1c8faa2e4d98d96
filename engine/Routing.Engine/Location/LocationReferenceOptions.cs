using Routing.Calls.Routing;

namespace Routing.Engine.Location;

/// <summary>
/// Location by reference for agencies whose trunk takes PIDF-LO (<c>TakesPidfLo</c> on a trunk): where the agency
/// reaches the engine's document, and how long a reference lives. Validated at start; errors name the key.
/// </summary>
public sealed class LocationReferenceOptions
{
    public const string Section = "LocationReference";

    /// <summary>The engine's location service as the agencies reach it (the reverse proxy in front of the admin
    /// host), e.g. <c>https://112-location.example.kz</c>; the reference is <c>{BaseUrl}/location/ref/{token}</c>.
    /// Empty: no references are served, and no trunk may take PIDF-LO.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>How long after its call ended a reference still answers (the agency may fetch as it hangs up).</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a spent reference is still known, so a late fetch goes on its call's record as refused.</summary>
    public TimeSpan RememberSpent { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Bound of the references kept (live and spent); the oldest spent ones go first.</summary>
    public int MaxReferences { get; set; } = 20_000;

    /// <summary>Lab and test only: an <c>http:</c> <see cref="BaseUrl"/>.</summary>
    public bool AllowPlainHttp { get; set; }

    public bool Enabled => BaseUrl.Length > 0;

    public IEnumerable<string> Validate(RoutingOptions routing)
    {
        const string p = Section;
        if (BaseUrl.Length > 0)
        {
            if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri))
            {
                yield return $"{p}:BaseUrl '{Clip(BaseUrl)}' is not an absolute URL";
            }
            else
            {
                if (uri.Scheme != Uri.UriSchemeHttps && !(AllowPlainHttp && uri.Scheme == Uri.UriSchemeHttp))
                    yield return $"{p}:BaseUrl must be https (the reference carries a caller's location; {p}:AllowPlainHttp is for a lab)";
                if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
                    yield return $"{p}:BaseUrl must hold no user information, query or fragment";
                if (BaseUrl.Any(c => c is '<' or '>' or '"' or ',' or ';' || char.IsWhiteSpace(c) || char.IsControl(c)))
                    yield return $"{p}:BaseUrl holds a character that cannot stand in a SIP Geolocation header";
            }
        }

        if (Grace < TimeSpan.Zero || Grace > TimeSpan.FromHours(1)) yield return $"{p}:Grace must be between 0 and 1 hour";
        if (RememberSpent < TimeSpan.Zero || RememberSpent > TimeSpan.FromDays(7)) yield return $"{p}:RememberSpent must be between 0 and 7 days";
        if (MaxReferences is < 100 or > 1_000_000) yield return $"{p}:MaxReferences must be between 100 and 1000000";
        if (BaseUrl.Length == 0)
        {
            foreach (var (key, trunk) in ConfiguredTrunks.All(routing))
            {
                if (trunk.TakesPidfLo) yield return $"{key}:TakesPidfLo is true but {p}:BaseUrl is empty: the engine would have no location to refer the agency to";
            }
        }
    }

    /// <summary>The reference for <paramref name="token"/>.</summary>
    public string UriFor(string token) => $"{BaseUrl.TrimEnd('/')}/location/ref/{token}";

    private static string Clip(string text) => new(text.Take(80).Where(c => !char.IsControl(c)).ToArray());
}
