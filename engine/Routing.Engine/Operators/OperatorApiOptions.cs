namespace Routing.Engine.Operators;

/// <summary>How operators work the centre from a console (section <c>OperatorApi</c>).</summary>
public sealed class OperatorApiOptions
{
    public const string Section = "OperatorApi";

    /// <summary>Accept the <c>X-Operator</c> / <c>X-Operator-Role</c> headers from loopback clients as the
    /// identity. Safe only while the admin port is loopback-only; turn off when a sign-in exists.</summary>
    public bool TrustOperatorHeader { get; set; } = true;

    /// <summary>Identity for requests nothing else identified (development, single-desk kiosks).</summary>
    public DevelopmentIdentityOptions DevelopmentIdentity { get; set; } = new();

    /// <summary>How long an API request waits for the centre or the call to answer before 503.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Keep-alive comment interval of the event stream.</summary>
    public TimeSpan EventKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(DevelopmentIdentity.User) && OperatorIdentity.CheckUser(DevelopmentIdentity.User) is { } problem)
        {
            yield return $"{Section}:DevelopmentIdentity:User: {problem}";
        }

        if (!OperatorIdentity.TryParseRole(DevelopmentIdentity.Role, out _))
        {
            yield return $"{Section}:DevelopmentIdentity:Role must be calltaker or supervisor (got '{DevelopmentIdentity.Role}')";
        }

        if (ReplyTimeout <= TimeSpan.Zero)
        {
            yield return $"{Section}:ReplyTimeout must be greater than zero";
        }

        if (EventKeepAlive <= TimeSpan.Zero)
        {
            yield return $"{Section}:EventKeepAlive must be greater than zero";
        }
    }
}

public sealed class DevelopmentIdentityOptions
{
    public string? User { get; set; }

    public string? Role { get; set; } = "calltaker";
}
