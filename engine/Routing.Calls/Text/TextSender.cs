using Routing.Calls.Routing;

namespace Routing.Calls.Text;

/// <summary>Who wrote: the number a session is keyed by, and the name shown, both cleaned.</summary>
/// <param name="Number">Digits and an optional leading +, or empty when the From carries no number.</param>
/// <param name="Notes">Why the From had to be cleaned or guessed.</param>
public sealed record TextSender(string Number, string Name, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// Reads a SIP From as ARI gives it (<c>"Text Sender" &lt;sip:+77019998877@gw;user=phone&gt;;tag=…</c>): the
    /// user part of the URI is the app caller's number. A From with no number in it (the recorded texter sends
    /// <c>sip:texter@…</c>) yields an empty number: the session is then keyed by the endpoint alone.
    /// </summary>
    public static TextSender Parse(string? from)
    {
        var notes = new List<string>();
        var raw = from ?? "";
        if (raw.Length > 512)
        {
            notes.Add($"From of {raw.Length} characters cut to 512");
            raw = raw[..512];
        }

        string name = "";
        var open = raw.IndexOf('<', StringComparison.Ordinal);
        var uri = raw;
        if (open >= 0)
        {
            name = raw[..open].Trim().Trim('"');
            var close = raw.IndexOf('>', open + 1);
            uri = close > open ? raw[(open + 1)..close] : raw[(open + 1)..];
        }

        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0) uri = uri[(colon + 1)..];
        var at = uri.IndexOf('@', StringComparison.Ordinal);
        var user = at >= 0 ? uri[..at] : "";
        var semi = user.IndexOf(';', StringComparison.Ordinal);
        // user;param=value (RFC 3966 phone-context) is a number with parameters; anything else after ';' is not.
        var parametersOk = semi < 0 || user[(semi + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '=' or '+' or '-' or '.' or '_' or ';');
        if (semi >= 0) user = user[..semi];

        var number = parametersOk && LooksLikeNumber(user) ? CallerText.NormaliseNumber(user) : "";
        if (number.Length == 0 && user.Length > 0) notes.Add($"From user '{CallerText.CleanText(user, 40)}' is not a number");
        var cleanName = CallerText.CleanText(name);
        if (cleanName.Length != name.Length) notes.Add("From name cleaned of control or formatting characters");
        return new TextSender(number, cleanName, notes);
    }

    /// <summary>A number may carry visual separators (+7 701-999-88-77) but nothing else: a user such as
    /// <c>texter</c> or <c>1;drop table</c> is not a number, however many digits hide in it.</summary>
    private static bool LooksLikeNumber(string user) =>
        user.Length is > 0 and <= 40 && user.Any(char.IsAsciiDigit)
        && user.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or '.' or '(' or ')' or ' ');
}
