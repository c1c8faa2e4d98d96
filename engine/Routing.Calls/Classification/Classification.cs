namespace Routing.Calls;

/// <summary>How a call came in, from the dialplan's Stasis args.</summary>
public enum CallEntry
{
    /// <summary>112 from any phone: IVR menus.</summary>
    Emergency112,

    /// <summary>The mobile app / WebRTC caller: IVR menus like 112.</summary>
    App,

    /// <summary>101/102/103/104: straight to that agency.</summary>
    Direct,

    /// <summary>An SOS street button.</summary>
    Sos,
}

/// <summary>Where a call goes after it is answered.</summary>
public enum FirstStep
{
    /// <summary>Language menu, then service menu (112 and app).</summary>
    Menu,

    /// <summary>Straight to <see cref="Classification.Agency"/> (direct numbers, known SOS devices).</summary>
    Agency,

    /// <summary>Straight to a human call-taker (unknown SOS device).</summary>
    Operator,
}

/// <summary>
/// The result of classifying an arrival. Every string here is already cleaned
/// (<see cref="Routing.CallerText"/>) and safe for the ledger and for dial strings.
/// </summary>
/// <param name="Entry">How the call came in.</param>
/// <param name="EntryName">Ledger spelling: <c>112</c>, <c>app</c>, <c>direct:fire</c>, <c>sos</c>, <c>sos:unknown</c>.</param>
/// <param name="FirstStep">What the call does after answering.</param>
/// <param name="Agency">Known agency for direct and SOS calls; null when the menu decides.</param>
/// <param name="Region">The caller's region (device region for SOS buttons).</param>
/// <param name="CallerNumber">Digits and an optional leading +; empty when anonymous.</param>
/// <param name="CallerName">Caller name without control characters, capped.</param>
/// <param name="DialedNumber">Dialed number, cleaned like the caller number.</param>
/// <param name="DeviceId">The SOS device that called, when known.</param>
/// <param name="Location">Where the device stands, passed to the agency.</param>
/// <param name="Notes">Why the classifier had to guess or clean (garbled args, hostile caller id).
/// Empty for a clean arrival. Recorded in the journal.</param>
public sealed record Classification(
    CallEntry Entry,
    string EntryName,
    FirstStep FirstStep,
    string? Agency,
    string Region,
    string CallerNumber,
    string CallerName,
    string DialedNumber,
    string? DeviceId,
    string? Location,
    IReadOnlyList<string> Notes);
