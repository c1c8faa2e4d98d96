namespace Routing.Calls.Location;

/// <summary>The outcome of reading a location someone sent us: a location, or why there is none.
/// Parsers never throw on what a caller or a network controls; the reason goes to the ledger and
/// the call goes on.</summary>
public sealed record LocationReading
{
    private LocationReading(CallLocation? location, string? error)
    {
        Location = location;
        Error = error;
    }

    public CallLocation? Location { get; }

    /// <summary>What was wrong and where, e.g. "PIDF-LO: gml:pos '51.1 abc' is not two numbers".</summary>
    public string? Error { get; }

    public bool Ok => Location is not null;

    public static LocationReading Read(CallLocation location) => new(location, null);

    public static LocationReading Rejected(string error) => new(null, error);
}
