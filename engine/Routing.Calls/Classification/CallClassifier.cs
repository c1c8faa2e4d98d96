using Routing.Calls.Routing;

namespace Routing.Calls;

/// <summary>
/// Decides what an arriving caller channel is from the dialplan's Stasis args. Grammar:
/// <list type="bullet">
/// <item><c>[]</c> or <c>["112"]</c>: emergency 112, IVR menus.</item>
/// <item><c>["app"]</c>: mobile app / WebRTC caller, IVR menus like 112.</item>
/// <item><c>["direct", agency]</c>: 101–104, straight to that agency.</item>
/// <item><c>["sos"]</c> or <c>["sos", deviceId]</c>: SOS street button, looked up by device id, then
/// by caller number, in <see cref="RoutingOptions.Devices"/>; unknown device → call-taker.</item>
/// <item><c>["dialed", agency|operator, callerChannelId]</c>: not a new call but one of our own
/// originated agency legs; the engine checks <see cref="IsOriginatedLeg(IReadOnlyList{string}, out string)"/>
/// first and routes it to the caller's <see cref="Call"/>.</item>
/// </list>
/// Anything else is treated as 112 with a note saying why: a person may be on the line, so a call
/// is never rejected. Never throws on any input.
/// </summary>
public sealed class CallClassifier
{
    public const string DialedArg = "dialed";

    private readonly RoutingOptions _options;
    private readonly RoutePlanner _planner;

    public CallClassifier(RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _planner = new RoutePlanner(options);
    }

    /// <summary>True when the Stasis args are those we give originated legs
    /// (<c>dialed, agency, callerChannelId</c>); <paramref name="callerChannelId"/> names the caller's channel.</summary>
    public static bool IsOriginatedLeg(IReadOnlyList<string>? stasisArgs, out string callerChannelId) =>
        IsOriginatedLeg(stasisArgs, out _, out callerChannelId);

    /// <inheritdoc cref="IsOriginatedLeg(IReadOnlyList{string}, out string)"/>
    public static bool IsOriginatedLeg(IReadOnlyList<string>? stasisArgs, out string target, out string callerChannelId)
    {
        target = "";
        callerChannelId = "";
        if (stasisArgs is not { Count: 3 } || !string.Equals(stasisArgs[0], DialedArg, StringComparison.OrdinalIgnoreCase)) return false;
        if (string.IsNullOrWhiteSpace(stasisArgs[1]) || string.IsNullOrWhiteSpace(stasisArgs[2])) return false;
        target = stasisArgs[1];
        callerChannelId = stasisArgs[2];
        return true;
    }

    public Classification Classify(CallArrival arrival)
    {
        ArgumentNullException.ThrowIfNull(arrival);
        var notes = new List<string>();
        var number = CallerText.NormaliseNumber(arrival.CallerNumber);
        var name = CallerText.CleanText(arrival.CallerName);
        var dialed = CallerText.NormaliseNumber(arrival.DialedNumber);
        if (!string.Equals(number, arrival.CallerNumber ?? "", StringComparison.Ordinal) && !string.IsNullOrEmpty(arrival.CallerNumber))
            notes.Add($"caller number cleaned from {Describe(arrival.CallerNumber)} to '{number}'");
        if (!string.Equals(name, arrival.CallerName ?? "", StringComparison.Ordinal))
            notes.Add($"caller name cleaned from {Describe(arrival.CallerName)}");

        var args = arrival.StasisArgs ?? [];
        var first = args.Count > 0 ? (args[0] ?? "").Trim().ToLowerInvariant() : "";
        var classification = (first, args.Count) switch
        {
            ("", 0) or ("112", 1) => Menu(CallEntry.Emergency112, "112"),
            ("app", 1) => Menu(CallEntry.App, "app"),
            ("direct", 2) => Direct(args[1]),
            ("sos", 1) => Sos(null),
            ("sos", 2) => Sos(args[1]),
            _ => Garbled(),
        };
        return classification with { Notes = notes };

        Classification Menu(CallEntry entry, string entryName) =>
            new(entry, entryName, FirstStep.Menu, null, _planner.RegionFor(number), number, name, dialed, null, null, notes);

        Classification Direct(string? agencyArg)
        {
            var agency = KnownAgency(agencyArg);
            if (agency is null)
            {
                notes.Add($"direct call for unknown agency {Describe(agencyArg)}: treated as 112");
                return Menu(CallEntry.Emergency112, "112");
            }
            return new(CallEntry.Direct, $"direct:{agency}", FirstStep.Agency, agency, _planner.RegionFor(number), number, name, dialed, null, null, notes);
        }

        Classification Sos(string? deviceArg)
        {
            var deviceId = CallerText.CleanText(deviceArg, CallerText.MaxNumberLength);
            var found = FindDevice(deviceId) ?? FindDevice(number);
            if (found is { } hit && KnownAgency(hit.Device.Agency) is { } agency)
            {
                var region = _options.Regions.ContainsKey(hit.Device.Region) ? hit.Device.Region : _planner.RegionFor(number);
                return new(CallEntry.Sos, "sos", FirstStep.Agency, agency, region, number, name, dialed, hit.Id,
                    CallerText.CleanText(hit.Device.Location, 200), notes);
            }
            notes.Add($"unknown SOS device {Describe(deviceArg ?? arrival.CallerNumber)}: sent to a call-taker");
            return new(CallEntry.Sos, "sos:unknown", FirstStep.Operator, null, _planner.RegionFor(number), number, name, dialed,
                deviceId.Length > 0 ? deviceId : null, null, notes);
        }

        Classification Garbled()
        {
            notes.Add($"unrecognised Stasis args [{string.Join(",", args.Take(4).Select(Describe))}{(args.Count > 4 ? ",..." : "")}]: treated as 112");
            return Menu(CallEntry.Emergency112, "112");
        }
    }

    private string? KnownAgency(string? agency)
    {
        if (string.IsNullOrWhiteSpace(agency)) return null;
        // The configured spelling, so metrics and the ledger never see two names for one agency.
        return _options.Agencies.Keys.FirstOrDefault(k => string.Equals(k, agency.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    private (string Id, DeviceOptions Device)? FindDevice(string? id)
    {
        if (string.IsNullOrEmpty(id)) return null;
        foreach (var (key, device) in _options.Devices)
        {
            if (device is not null && (string.Equals(key, id, StringComparison.OrdinalIgnoreCase)
                || (CallerText.NormaliseNumber(key) is { Length: > 0 } k && k == CallerText.NormaliseNumber(id))))
                return (key, device);
        }
        return null;
    }

    /// <summary>A short, safe quotation of hostile input for a note: cleaned, capped, with its real length.</summary>
    private static string Describe(string? raw)
    {
        if (raw is null) return "(null)";
        var clean = CallerText.CleanText(raw, 24);
        return raw.Length > 24 ? $"'{clean}…' ({raw.Length} chars)" : $"'{clean}'";
    }
}
