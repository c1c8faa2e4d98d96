namespace Routing.Calls.Location;

/// <summary>Where a caller is, as one source reported it. Kept per call in the ledger with its source,
/// time, accuracy and the raw value, so a later reader can judge it as the call-taker did.</summary>
/// <param name="Source">Who told us.</param>
/// <param name="ReceivedAt">When the engine received it.</param>
/// <param name="MeasuredAt">When the device says it measured it (PIDF-LO timestamp, AML <c>top</c>), if given.</param>
/// <param name="Point">The position, when the source gave one (a civic address alone has none).</param>
/// <param name="UncertaintyMeters">Radius of the uncertainty circle (PIDF-LO <c>gs:Circle</c>, AML <c>rd</c>).</param>
/// <param name="CivicAddress">A civic address in one line (PIDF-LO civicAddress, or typed by a call-taker).</param>
/// <param name="Method">How it was measured: GPS, Wifi, Cell, Manual, Configured… (cleaned caller text).</param>
/// <param name="Raw">The raw value as received, capped, for the record.</param>
public sealed record CallLocation(
    LocationSource Source,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? MeasuredAt,
    GeoPoint? Point,
    double? UncertaintyMeters,
    string? CivicAddress,
    string Method,
    string Raw)
{
    /// <summary>Longest raw value kept; a PIDF-LO body is a few hundred bytes, an AML SMS 160 characters.</summary>
    public const int MaxRawLength = 8192;

    /// <summary>How old the measurement is at <paramref name="now"/> (from the device's time when given).</summary>
    public TimeSpan AgeAt(DateTimeOffset now)
    {
        var age = now - (MeasuredAt ?? ReceivedAt);
        return age < TimeSpan.Zero ? TimeSpan.Zero : age;
    }

    /// <summary>One line for a call card or the ledger detail.</summary>
    public string Describe()
    {
        var parts = new List<string> { Source.ToString() };
        if (Point is { } p) parts.Add(p.ToString());
        if (UncertaintyMeters is { } u) parts.Add($"±{GeoPoint.Format(Math.Round(u))} m");
        if (!string.IsNullOrEmpty(CivicAddress)) parts.Add(CivicAddress);
        if (!string.IsNullOrEmpty(Method)) parts.Add(Method);
        return string.Join(", ", parts);
    }

    internal static string Cap(string raw) => raw.Length <= MaxRawLength ? raw : raw[..MaxRawLength];
}

/// <summary>Where a location came from; routing trusts them differently (<see cref="LocationTrust"/>).</summary>
public enum LocationSource
{
    /// <summary>PIDF-LO by value in the caller's INVITE (RFC 6442), from the PSTN interconnect or the app gateway.</summary>
    SipPidfLo,

    /// <summary>Advanced Mobile Location (ETSI TS 103 625) from the handset, by SMS or HTTPS.</summary>
    Aml,

    /// <summary>The configured place of an SOS street button.</summary>
    SosDevice,

    /// <summary>Set or corrected by a call-taker (an address typed in the console).</summary>
    CallTaker,
}
