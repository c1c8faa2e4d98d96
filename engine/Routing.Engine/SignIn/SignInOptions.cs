using Routing.Engine.Operators;

namespace Routing.Engine.SignIn;

/// <summary>Console sign-in (section <c>SignIn</c>): users with hashed passwords. When any user is
/// configured, only a signed-in session identifies an operator and the development header identity is off.</summary>
public sealed class SignInOptions
{
    public const string Section = "SignIn";

    public Dictionary<string, ConsoleUserOptions> Users { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Failed attempts in a row after which a user is locked out for <see cref="Lockout"/>.</summary>
    public int MaxFailures { get; set; } = 5;

    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A session ends this long after sign-in (a shift and a bit).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(13);

    /// <summary>The engine sits behind a TLS reverse proxy on the same host (nginx): believe its
    /// X-Forwarded-Proto/For, so session cookies are Secure and logs name the real client.</summary>
    public bool BehindProxy { get; set; }

    public bool Enabled => Users.Count > 0;

    public IEnumerable<string> Validate()
    {
        foreach (var (name, user) in Users)
        {
            if (OperatorIdentity.CheckUser(name) is { } problem)
            {
                yield return $"{Section}:Users:{name}: {problem}";
            }

            if (!OperatorIdentity.TryParseRole(user.Role, out _))
            {
                yield return $"{Section}:Users:{name}:Role must be calltaker or supervisor (got '{user.Role}')";
            }

            if (PasswordHash.Check(user.PasswordHash) is { } hashProblem)
            {
                yield return $"{Section}:Users:{name}:PasswordHash: {hashProblem}";
            }
        }

        if (MaxFailures < 1)
        {
            yield return $"{Section}:MaxFailures must be at least 1";
        }

        if (Lockout <= TimeSpan.Zero)
        {
            yield return $"{Section}:Lockout must be greater than zero";
        }

        if (SessionLifetime <= TimeSpan.Zero)
        {
            yield return $"{Section}:SessionLifetime must be greater than zero";
        }
    }
}

public sealed class ConsoleUserOptions
{
    public string? Role { get; set; } = "calltaker";

    public string? PasswordHash { get; set; }
}
