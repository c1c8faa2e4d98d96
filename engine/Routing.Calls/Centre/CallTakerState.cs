namespace Routing.Calls.Centre;

/// <summary>
/// State of a call-taker position. Allowed moves (anything else is refused with a reason):
/// <code>
/// LoggedOut  --login-->            Available
/// Available  --offer-->            Offered      (only when the device is reachable)
/// Offered    --answered-->         OnCall
/// Offered    --withdrawn-->        Available    (ring-all answered elsewhere, caller hung up, device unreachable)
/// Offered    --no answer/rejected-> Paused ("no answer" / "rejected")
/// OnCall     --call ended/left-->  WrapUp       (Available at once when WrapUp is zero)
/// WrapUp     --wrap-up over/ready-> Available
/// Available, WrapUp --pause-->     Paused (reason)
/// Paused     --resume-->           Available
/// Available, WrapUp, Paused --logout--> LoggedOut
/// </code>
/// </summary>
public enum CallTakerState
{
    LoggedOut,
    Available,
    Offered,
    OnCall,
    WrapUp,
    Paused,
}
