using Routing.Asterisk.Ami;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Engine.Calls;

/// <summary>
/// Turns the AMI story of a call that never reached the engine (Stasis() returned
/// STASISSTATUS=FAILED because our app had no websocket — asterisk-traces/stasis-app-down.txt) into
/// ledger records, so that no 112 call goes unrecorded even when the dialplan fallback routed it.
/// Pure: given AMI events in order, it says what to append; the observer does the writing.
/// </summary>
internal sealed class FallbackCallTracker(TimeProvider time)
{
    /// <summary>The ledger entry of calls recorded from AMI.</summary>
    public const string Entry = "fallback";

    /// <summary>The context of our agency endpoints (dialplans/pjsip.conf). An agency leg that
    /// answers while our app is down also gets STASISSTATUS=FAILED (ARI's originate runs Stasis on
    /// it); that is not a caller's call and must not be recorded as one.</summary>
    public const string AgencyContext = "from-agency";

    private readonly Dictionary<string, string> callIdByChannel = new(StringComparer.Ordinal);

    public int Tracked => callIdByChannel.Count;

    public IReadOnlyList<FallbackRecord> Observe(AmiMessage message)
    {
        var uniqueId = message["Uniqueid"];
        if (!message.IsEvent || string.IsNullOrEmpty(uniqueId))
        {
            return [];
        }

        var now = time.GetUtcNow();
        if (message.EventName is "VarSet"
            && string.Equals(message["Variable"], "STASISSTATUS", StringComparison.OrdinalIgnoreCase)
            && string.Equals(message["Value"], "FAILED", StringComparison.Ordinal)
            && !string.Equals(message["Context"], AgencyContext, StringComparison.Ordinal)
            && !callIdByChannel.ContainsKey(uniqueId))
        {
            var callId = Guid.CreateVersion7(now).ToString();
            callIdByChannel[uniqueId] = callId;
            var call = new CallRecord(
                callId,
                CallerText.CleanText(uniqueId),
                CallerText.NormaliseNumber(message["CallerIDNum"]),
                CallerText.CleanText(message["Exten"]),
                Entry,
                now);
            return
            [
                new FallbackRecord(call, null),
                Event(callId, now, "stasis.failed", $"Stasis app unavailable in {CallerText.CleanText(message["Context"])}; the dialplan fallback routes the call"),
            ];
        }

        if (!callIdByChannel.TryGetValue(uniqueId, out var tracked))
        {
            return [];
        }

        switch (message.EventName)
        {
            case "UserEvent" when string.Equals(message["UserEvent"], "Routing112Fallback", StringComparison.Ordinal):
                return [Event(tracked, now, "fallback.route", $"agency={CallerText.CleanText(message["Agency"])} region={CallerText.CleanText(message["Region"])}")];
            case "DialBegin":
                return [Event(tracked, now, "fallback.dial", CallerText.CleanText(message["DialString"] ?? message["DestChannel"]))];
            case "DialEnd":
                return [Event(tracked, now, "fallback.dialstatus", CallerText.CleanText(message["DialStatus"]))];
            case "Hangup":
                callIdByChannel.Remove(uniqueId);
                return
                [
                    Event(tracked, now, "hangup", $"cause {CallerText.CleanText(message["Cause"])} {CallerText.CleanText(message["Cause-txt"])}"),
                    Event(tracked, now, "outcome", nameof(CallOutcome.FailedOver)),
                ];
            default:
                return [];
        }
    }

    private static FallbackRecord Event(string callId, DateTimeOffset at, string kind, string detail) =>
        new(null, new CallEventRecord(callId, null, at, kind, detail));
}

/// <summary>Either a call to record or an event to append.</summary>
internal sealed record FallbackRecord(CallRecord? Call, CallEventRecord? Event);
