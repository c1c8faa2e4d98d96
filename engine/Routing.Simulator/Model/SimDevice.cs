namespace Routing.Simulator.Model;

/// <summary>
/// A call-taker's phone behind a PJSIP endpoint with one AOR contact (qualify off, as turn2/conf/pjsip.conf).
/// Mutated only under the PBX lock.
/// </summary>
internal sealed class SimDevice
{
    public required string Resource { get; init; }
    public required CallTakerBehavior Behavior { get; set; }
    /// <summary>The endpoint's configured callerid (pjsip.conf "Call-taker 1" &lt;9001&gt;), shown on a new channel until the originate's callerId replaces it.</summary>
    public required PartyId EndpointCallerId { get; init; }
    public required string ContactUri { get; init; }

    /// <summary>A contact is registered (REGISTER succeeded and was not removed).</summary>
    public bool Registered { get; set; }

    /// <summary>The registered contact answers qualify (false after GoUnreachable).</summary>
    public bool Reachable { get; set; } = true;

    public bool Online => Registered && Reachable;

    /// <summary>The device state last published (Asterisk publishes only changes).</summary>
    public string? LastDeviceState { get; set; }

    /// <summary>"calltaker-3" → "Call-taker 3" &lt;9003&gt; as in the trace's pjsip.conf; other names → the name, no number.</summary>
    public static PartyId DefaultCallerId(string resource)
    {
        const string prefix = "calltaker-";
        if (resource.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(resource.AsSpan(prefix.Length), out int n) && n is > 0 and < 1000)
            return new PartyId($"Call-taker {n}", (9000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new PartyId(resource, "");
    }
}
