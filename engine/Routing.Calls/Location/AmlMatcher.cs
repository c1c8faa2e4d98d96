namespace Routing.Calls.Location;

/// <summary>A call an AML message may belong to: live, or ended not long ago.</summary>
public sealed record AmlCandidate(string CallId, string CallerNumber, DateTimeOffset ArrivedAt, DateTimeOffset? EndedAt);

/// <summary>
/// Matches an AML message to the call it belongs to by number and time. A handset sends AML within
/// seconds of dialling, and the SMS may even overtake the call through the network, so a message is
/// matched to the latest call from the same number that arrived no later than
/// <see cref="LocationOptions.AmlEarlyTolerance"/> after it and was still live, or ended no more than
/// <see cref="LocationOptions.AmlLateTolerance"/> before it.
/// </summary>
public static class AmlMatcher
{
    /// <summary>Numbers are compared on their last 10 digits: the handset reports +7 701…, the PSTN may
    /// present 8 701… (the national trunk prefix) or 7 701… for the same subscriber.</summary>
    public const int ComparedDigits = 10;

    public static AmlMatch Match(AmlMessage message, DateTimeOffset receivedAt, IEnumerable<AmlCandidate> calls, LocationOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(options);
        if (message.Location is { } fix && fix.AgeAt(receivedAt) > options.AmlMaxAge)
            return AmlMatch.None($"stale: the fix is {fix.AgeAt(receivedAt).TotalSeconds:0} s old, more than Routing:Location:AmlMaxAge {options.AmlMaxAge}");

        var key = Tail(message.CallerNumber);
        if (key.Length == 0) return AmlMatch.None("the message carries no number");

        var best = calls
            .Where(c => Tail(c.CallerNumber) == key)
            .Where(c => c.ArrivedAt <= receivedAt + options.AmlEarlyTolerance)
            .Where(c => c.EndedAt is null || c.EndedAt.Value >= receivedAt - options.AmlLateTolerance)
            .OrderByDescending(c => c.ArrivedAt)
            .FirstOrDefault();
        return best is null
            ? AmlMatch.None($"no live or recent call from a number ending {key}")
            : AmlMatch.To(best.CallId);
    }

    private static string Tail(string number)
    {
        var digits = new string(number.Where(char.IsAsciiDigit).ToArray());
        return digits.Length <= ComparedDigits ? digits : digits[^ComparedDigits..];
    }
}

/// <summary>The call an AML message belongs to, or why none.</summary>
public sealed record AmlMatch(string? CallId, string? Reason)
{
    public static AmlMatch To(string callId) => new(callId, null);

    public static AmlMatch None(string reason) => new(null, reason);
}
