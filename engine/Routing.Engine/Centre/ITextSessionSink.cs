namespace Routing.Engine.Centre;

/// <summary>What the centre tells the text service about text sessions it queues (the text twin of a voice
/// call's <c>CallInput.CallTakerAssigned</c> / <c>CentreGaveUp</c>). Only posts: the centre never waits on it.</summary>
internal interface ITextSessionSink
{
    /// <summary>The console of <paramref name="position"/> accepted the session.</summary>
    void Assigned(string sessionId, string position, string user, TimeSpan waited);

    /// <summary>Nobody could take it to the end of the overflow chain: the text fallback applies.</summary>
    void GaveUp(string sessionId, string reason);
}
