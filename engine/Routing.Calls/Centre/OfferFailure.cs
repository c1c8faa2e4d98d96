namespace Routing.Calls.Centre;

/// <summary>Why an offered position did not take the call; each pauses the position with its reason
/// (app_queue's <c>autopause</c>): a position that did not take an emergency call is not staffed.</summary>
public enum OfferFailure
{
    /// <summary>Rang without answer until the engine's own ring timeout ("no answer").</summary>
    NoAnswer,

    /// <summary>The device declined or was busy ("rejected").</summary>
    Rejected,

    /// <summary>The device could not be rung at all (originate failed) ("device error").</summary>
    DeviceError,
}
