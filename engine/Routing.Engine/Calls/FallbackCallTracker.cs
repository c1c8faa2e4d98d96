using Routing.Asterisk.Ami;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Engine.Calls;

/// <summary>
/// Turns the AMI story of a call that never reached the engine (Stasis() returned
/// STASISSTATUS=FAILED because our app had no websocket — asterisk-traces/stasis-app-down.txt — or the dialplan
/// shed it with STASISSTATUS=SHED while the engine's overload flag was up) into ledger records, so that no 112 call goes unrecorded even when the dialplan fallback routed it.
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

    /// <summary>STASISSTATUS the dialplan sets itself when it sheds a caller at the engine's request
    /// (dialplans/extensions.conf, label <c>shed</c>); Asterisk's own values are SUCCESS and FAILED.</summary>
    public const string ShedStatus = "SHED";

    private const string FailedStatus = "FAILED";

    /// <summary>The global variable the engine raises while it is overloaded (a Unix time until which the dialplan
    /// sheds new callers; <see cref="Overload.DialplanShedFlag"/>).</summary>
    public const string ShedFlagVariable = "ROUTING112_SHED_UNTIL";

    private readonly Dictionary<string, string> callIdByChannel = new(StringComparer.Ordinal);

    private readonly HashSet<string> shedChannels = new(StringComparer.Ordinal);

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
            && message["Value"] is FailedStatus or ShedStatus
            && !string.Equals(message["Context"], AgencyContext, StringComparison.Ordinal)
            && !callIdByChannel.ContainsKey(uniqueId))
        {
            var callId = Guid.CreateVersion7(now).ToString();
            callIdByChannel[uniqueId] = callId;
            var shed = message["Value"] == ShedStatus;
            if (shed)
            {
                shedChannels.Add(uniqueId);
            }

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
                shed
                    ? Event(callId, now, "shed", $"by the dialplan in {CallerText.CleanText(message["Context"])}: the engine's overload flag ({ShedFlagVariable}) was up, the caller never entered Stasis; the dialplan fallback routes the call")
                    : Event(callId, now, "stasis.failed", $"Stasis app unavailable in {CallerText.CleanText(message["Context"])}; the dialplan fallback routes the call"),
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
                var wasShed = shedChannels.Remove(uniqueId);
                return
                [
                    Event(tracked, now, "hangup", $"cause {CallerText.CleanText(message["Cause"])} {CallerText.CleanText(message["Cause-txt"])}"),
                    Event(tracked, now, "outcome", wasShed ? nameof(CallOutcome.Shed) : nameof(CallOutcome.FailedOver)),
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
