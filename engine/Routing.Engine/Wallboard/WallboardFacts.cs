using System.Globalization;
using Routing.Calls;

namespace Routing.Engine.Wallboard;

/// <summary>
/// How the three facts behind the wallboard's history stand on the ledger, so that a restarted engine
/// reads back what the live one counted: a call leaving <c>Arrived</c> (its <c>state</c> event), a call
/// answered by a call-taker (the centre's <c>queue.answered</c>, written with the NENA answer time) and a
/// failed agency leg (<c>leg.failed</c>). Written and read here only, so the two cannot drift apart.
/// Ledgers written before <c>queue.answered</c> existed tell an answer by <c>calltaker.joined</c>, its wait
/// from the call's first <c>queue.entered</c> (see <see cref="JoinedKind"/>).
/// </summary>
internal static class WallboardFacts
{
    public const string StateKind = "state";

    public const string AnsweredKind = "queue.answered";

    public const string LegFailedKind = "leg.failed";

    /// <summary>The call-taker's leg joining the caller (<c>Call</c> writes it as the centre hands the call over):
    /// with <see cref="QueueEnteredKind"/> the answer of a call on a ledger written before <see cref="AnsweredKind"/>.</summary>
    public const string JoinedKind = "calltaker.joined";

    /// <summary>The call joining the centre's queue; its first one starts the NENA answer time.</summary>
    public const string QueueEnteredKind = "queue.entered";

    /// <summary>The call's state event as <c>Call</c> writes it on every transition (<c>"Arrived -> Answered"</c>):
    /// every call leaves Arrived exactly once, which is when the live history counts its arrival.</summary>
    public static readonly string ArrivalPrefix = $"{nameof(CallState.Arrived)} -> ";

    private const string After = " after ";
    private const string DialFailed = "dial failed";

    /// <summary><c>"calltaker-3 after 14.237 s"</c>: the wait since the call first joined the queue, rounded UP to
    /// the millisecond, so it falls on the same side of the whole-second NENA thresholds as the exact wait did.</summary>
    public static string AnsweredDetail(string position, TimeSpan waited) =>
        $"{position}{After}{WaitSeconds(waited).ToString("0.000", CultureInfo.InvariantCulture)} s";

    /// <summary>A wait as the wallboard keeps it, live and from the ledger alike: seconds, rounded up to the
    /// millisecond (a whole-second threshold compares the same as with the exact wait).</summary>
    public static double WaitSeconds(TimeSpan waited) => Math.Ceiling(Math.Max(0, waited.TotalSeconds) * 1000) / 1000;

    /// <summary>The wait of a <see cref="AnsweredKind"/> detail; false for anything else.</summary>
    public static bool TryReadAnswered(string detail, out double waitedSeconds)
    {
        waitedSeconds = 0;
        var at = detail.LastIndexOf(After, StringComparison.Ordinal);
        if (at < 0 || !detail.EndsWith(" s", StringComparison.Ordinal))
        {
            return false;
        }

        var number = detail.AsSpan(at + After.Length, detail.Length - at - After.Length - 2);
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out waitedSeconds);
    }

    /// <summary>The trunk and reason of a <see cref="LegFailedKind"/> detail (<c>"police-almaty-1: busy"</c>);
    /// a failed dial's note on its possible channel is the live reason, <c>dial failed</c>.</summary>
    public static bool TryReadLegFailed(string detail, out string trunk, out string reason)
    {
        var colon = detail.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0)
        {
            trunk = reason = "";
            return false;
        }

        trunk = detail[..colon];
        reason = detail[(colon + 2)..];
        if (reason.StartsWith(DialFailed + ",", StringComparison.Ordinal))
        {
            reason = DialFailed;
        }

        return true;
    }
}
