namespace Routing.Calls.Ports;

/// <summary>
/// Location by reference (RFC 6442 <c>Geolocation: &lt;https://…&gt;</c>) for agency legs on trunks that take
/// PIDF-LO: Asterisk 23 gives ARI no way to put a multipart body on an originate, and res_geolocation, which could,
/// stays noloaded (it crashes on malformed PIDF-LO), so the agency fetches the call's current location from the
/// engine instead. Implemented by the host, which serves the document while the call lives and a short grace after.
/// </summary>
public interface ILocationReferences
{
    /// <summary>The call's reference, issued on the first ask and the same for every later leg of the call.</summary>
    LocationReference ReferenceFor(Call call);
}

/// <param name="Uri">What goes in the <c>Geolocation</c> header, without the angle brackets; holds the secret token.</param>
/// <param name="Fingerprint">A short hash of the token for the record: enough to match a fetch, useless to make one.</param>
public sealed record LocationReference(string Uri, string Fingerprint);
