using System.Text.Json;

namespace Routing.Asterisk.Ari;

// Channel events, field for field as in events.json (snake_case on the wire).

public sealed record StasisStart(IReadOnlyList<string> Args, AriChannel Channel, AriChannel? ReplaceChannel = null) : AriEvent;

public sealed record StasisEnd(AriChannel Channel) : AriEvent;

public sealed record ChannelCreated(AriChannel Channel) : AriEvent;

/// <summary>Final hang-up cause (16 Normal Clearing, 17 User busy, 19 no answer...). The caller's channel of a
/// Stasis call that returned to the dialplan gets none.</summary>
public sealed record ChannelDestroyed(int Cause, string CauseTxt, AriChannel Channel, int? TechCause = null) : AriEvent;

public sealed record ChannelStateChange(AriChannel Channel) : AriEvent;

public sealed record ChannelDtmfReceived(string Digit, int DurationMs, AriChannel Channel) : AriEvent;

/// <summary>After our own DELETE it carries cause 32 and soft=true; the real cause comes with ChannelDestroyed.</summary>
public sealed record ChannelHangupRequest(AriChannel Channel, int? Cause = null, bool? Soft = null, int? TechCause = null) : AriEvent;

public sealed record ChannelEnteredBridge(AriBridge Bridge, AriChannel? Channel = null) : AriEvent;

public sealed record ChannelLeftBridge(AriBridge Bridge, AriChannel Channel) : AriEvent;

/// <summary>Channel is absent for global variables.</summary>
public sealed record ChannelVarset(string Variable, string Value, AriChannel? Channel = null) : AriEvent;

public sealed record ChannelConnectedLine(AriChannel Channel) : AriEvent;

public sealed record ChannelCallerId(int CallerPresentation, string CallerPresentationTxt, AriChannel Channel) : AriEvent;

public sealed record ChannelDialplan(AriChannel Channel, string DialplanApp, string DialplanAppData) : AriEvent;

public sealed record ChannelHold(AriChannel Channel, string? Musicclass = null) : AriEvent;

public sealed record ChannelUnhold(AriChannel Channel) : AriEvent;

public sealed record ChannelTalkingStarted(AriChannel Channel) : AriEvent;

public sealed record ChannelTalkingFinished(AriChannel Channel, int Duration) : AriEvent;

public sealed record ChannelToneDetected(AriChannel Channel) : AriEvent;

public sealed record ChannelUserevent(string Eventname, JsonElement Userevent, AriChannel? Channel = null, AriBridge? Bridge = null) : AriEvent;

/// <summary>Dial progress of <paramref name="Peer"/>: dialstatus "" when dialling starts, then RINGING, ANSWER, BUSY...</summary>
public sealed record Dial(
    AriChannel Peer,
    string Dialstatus,
    AriChannel? Caller = null,
    string? Dialstring = null,
    string? Forward = null,
    AriChannel? Forwarded = null) : AriEvent;
