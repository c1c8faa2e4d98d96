namespace Routing.Engine.Operators;

public enum OperatorRole { CallTaker, Supervisor }

/// <summary>
/// Who is asking, as the operator API sees it (docs/operator-api.md). Sign-in (issue 8) sets it as
/// an HttpContext feature; until then <see cref="OperatorIdentityMiddleware"/> does, from a loopback
/// header or a configured development identity. The API never reads headers or cookies itself, so
/// adding sign-in changes nothing here.
/// </summary>
public sealed record OperatorIdentity(string User, OperatorRole Role)
{
    /// <summary>The longest user name accepted: it goes into ledger details and log lines.</summary>
    public const int MaxUserLength = 64;

    public bool IsSupervisor => Role == OperatorRole.Supervisor;

    public static string RoleName(OperatorRole role) => role == OperatorRole.Supervisor ? "supervisor" : "calltaker";

    public static bool TryParseRole(string? text, out OperatorRole role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "calltaker" or "call-taker":
                role = OperatorRole.CallTaker;
                return true;
            case "supervisor":
                role = OperatorRole.Supervisor;
                return true;
            default:
                role = OperatorRole.CallTaker;
                return false;
        }
    }

    /// <summary>A user name is letters, digits, and . _ - @ only: it is written to the ledger and shown
    /// to other people, so nothing that could forge a line or a markup.</summary>
    public static string? CheckUser(string? user)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            return "operator user is empty";
        }

        if (user.Length > MaxUserLength)
        {
            return $"operator user is longer than {MaxUserLength} characters";
        }

        return user.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? null
            : "operator user may hold only letters, digits, '.', '_', '-' and '@'";
    }
}
