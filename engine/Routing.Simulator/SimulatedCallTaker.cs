using Routing.Simulator.Core;

namespace Routing.Simulator;

/// <summary>
/// A call-taker's phone: PJSIP endpoint <see cref="Endpoint"/> with one contact (AOR max_contacts=1, qualify off, as
/// turn2/conf/pjsip.conf). Tests act as the person at the desk: register the phone, pull the cable, choose how it
/// answers offers, hang up. Every change is seen over ARI exactly as turn2/ari-agents-registration shows it.
/// </summary>
public sealed class SimulatedCallTaker
{
    private readonly Pbx _pbx;

    internal SimulatedCallTaker(Pbx pbx, string endpoint)
    {
        _pbx = pbx;
        Endpoint = endpoint;
    }

    /// <summary>Endpoint resource, e.g. "calltaker-1" (ARI endpoint PJSIP/calltaker-1).</summary>
    public string Endpoint { get; }

    /// <summary>How the phone answers the next offer (a change does not affect a call already ringing).</summary>
    public CallTakerBehavior Behavior
    {
        get => _pbx.CallTakerBehaviorOf(Endpoint);
        set => _pbx.SetCallTakerBehavior(Endpoint, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The phone has a registered contact that answers (ARI endpoint state "online").</summary>
    public bool IsOnline => _pbx.CallTakerOnline(Endpoint);

    /// <summary>Channels on this endpoint right now (ringing or answered offers).</summary>
    public IReadOnlyList<string> ChannelIds => _pbx.EndpointChannelIds(Endpoint);

    /// <summary>REGISTER (challenge, then 200): contact NonQualified, peer Reachable, endpoint online, device NOT_INUSE.
    /// Registering an already registered phone only refreshes it (no event), as a real re-REGISTER.</summary>
    public void Register() => _pbx.RegisterCallTaker(Endpoint);

    /// <summary>REGISTER with Expires: 0: contact Removed, peer Unreachable, endpoint offline, device UNAVAILABLE.
    /// Offers to it then fail at once (500 Allocation failed), as Asterisk cannot find a contact.</summary>
    public void Unregister() => _pbx.UnregisterCallTaker(Endpoint);

    /// <summary>The phone stops answering qualify OPTIONS (cable pulled, Wi-Fi gone): contact Unreachable, peer Unreachable,
    /// endpoint offline, device UNAVAILABLE; the contact stays registered. <see cref="Register"/> brings it back.</summary>
    public void GoUnreachable() => _pbx.CallTakerUnreachable(Endpoint);

    /// <summary>The call-taker hangs up (BYE) every call on the phone; a ringing offer is rejected (486 Busy Here).</summary>
    public void HangUp() => _pbx.CallTakerHangsUp(Endpoint);

    /// <summary>The call-taker presses Hold on the phone (re-INVITE sendonly): ChannelHold with musicclass "default".</summary>
    public void Hold() => _pbx.CallTakerHold(Endpoint, hold: true);

    /// <summary>The call-taker resumes the held call (re-INVITE sendrecv): ChannelUnhold.</summary>
    public void Resume() => _pbx.CallTakerHold(Endpoint, hold: false);

    public override string ToString() => $"PJSIP/{Endpoint} ({(IsOnline ? "online" : "offline")}, {Behavior})";
}
