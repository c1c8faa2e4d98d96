using Routing.Calls;

namespace Routing.Engine.Operators;

/// <summary>Turns a call's published snapshots into <c>call</c>, <c>transfer</c> and <c>callEnded</c>
/// events of the live stream. Runs in the call's loop: it only formats and hands over, never blocks.
/// Call-takers see the events of the call their position has (or had); supervisors see all.</summary>
internal sealed class CallCardPublisher(CentreEventHub hub, TimeProvider time)
{
    public void Publish(Call call, CallSnapshot previous, CallSnapshot snapshot)
    {
        if (hub.Subscribers == 0)
        {
            return;
        }

        IReadOnlyCollection<string> audience = snapshot.CallTaker is { } position ? [position] : [];
        var card = CallCards.Of(call, time.GetUtcNow());
        hub.Publish(new CentreEvent("call", card, audience));
        if (card.Transfer is { } transfer && !Equals(previous.Transfer, snapshot.Transfer))
        {
            hub.Publish(new CentreEvent("transfer", new { callId = card.CallId, transfer.Agency, transfer.Mode, transfer.State, transfer.Trunk, transfer.Attempt }, audience));
        }

        if (snapshot.Outcome is { } outcome && previous.Outcome is null)
        {
            hub.Publish(new CentreEvent("callEnded", new { callId = card.CallId, outcome = outcome.ToString(), callTaker = snapshot.CallTaker }, audience));
        }
    }
}
