using System.Globalization;
using Routing.Calls;
using Routing.Calls.Routing;
using Routing.Checks.Prompts;

namespace Routing.Checks;

/// <summary>
/// <c>routing explain</c>: the path one call would take, in words: how it enters, which region and
/// why, the menus and digits, each trunk with its ring time and stage, overflow, the national
/// fallback, the worst-case time, and what the dialplan does if the engine gives up. Region,
/// classification and trunk order come from the engine's own <see cref="CallClassifier"/> and
/// <see cref="RoutePlanner"/>, so the explanation cannot disagree with what the engine does.
/// </summary>
public static class CallExplainer
{
    /// <summary>How the dialplan enters the engine for each number (dialplans/extensions.conf).</summary>
    private static readonly IReadOnlyDictionary<string, string[]> StasisArgsByNumber = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["112"] = ["112"],
        ["101"] = ["direct", "fire"],
        ["102"] = ["direct", "police"],
        ["103"] = ["direct", "ambulance"],
        ["104"] = ["direct", "gas"],
        ["sos"] = ["sos"],
        ["app"] = ["app"],
    };

    /// <param name="location">Where the caller is (<c>routing explain --lat --lon …</c>), measured
    /// <see cref="Routing.Calls.Location.CallLocation.AgeAt"/> before <paramref name="now"/>; a known SOS device's configured place when null.</param>
    public static IReadOnlyList<string> Explain(RoutingOptions options, string callerNumber, string dialed, string digits,
        Routing.Calls.Location.CallLocation? location = null, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var lines = new List<string>();
        var errors = RoutingOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            lines.Add($"The routing configuration is invalid ({errors.Count} errors); the engine would not start:");
            lines.AddRange(errors.Select(e => "  " + e));
            return lines;
        }

        var number = CallerText.NormaliseNumber(callerNumber);
        var keys = new string((digits ?? "").Where(c => char.IsAsciiDigit(c) || c is '*' or '#').ToArray());
        lines.Add($"Call from {(number.Length > 0 ? number : "an anonymous caller")} to {dialed}{(keys.Length > 0 ? $", pressing {keys}" : ", pressing nothing")}.");

        if (!StasisArgsByNumber.TryGetValue((dialed ?? "").Trim(), out var stasisArgs))
        {
            // extensions.conf never refuses a caller for what was dialled: [from-pstn]'s catch-all
            // extensions (_X!, _[*#+]!, words, letters, s, i) enter the engine as 112.
            lines.Add($"Entry: {dialed} is none of 112, 101-104, sos, app: the dialplan's catch-all treats it as 112.");
            stasisArgs = StasisArgsByNumber["112"];
        }
        var classification = new CallClassifier(options).Classify(new CallArrival(
            "explain", callerNumber ?? "", "", dialed ?? "", stasisArgs, options.Ivr.DefaultLanguage, DateTimeOffset.UnixEpoch));
        lines.Add($"Entry: Stasis(routing112,{string.Join(",", stasisArgs)}) -> {classification.EntryName}, {Describe(classification.FirstStep)}.");
        lines.AddRange(classification.Notes.Select(n => "  note: " + n));
        lines.Add("Region: " + RegionReason(options, classification));
        var region = classification.Region;
        location ??= DeviceLocation(options, classification);
        if (location is not null)
        {
            var decision = Routing.Calls.Location.RegionAreas.Resolver(options).Resolve(location, now ?? location.ReceivedAt);
            lines.Add("Location: " + location.Describe() + (location.MeasuredAt is { } m ? $", measured {((now ?? location.ReceivedAt) - m).TotalSeconds:0} s before" : ""));
            if (decision.Region is { } chosen && options.Regions.ContainsKey(chosen) && !string.Equals(chosen, region, StringComparison.OrdinalIgnoreCase))
            {
                lines.Add($"Region by location: {chosen} instead of {region} ({decision.Rule}).");
                region = chosen;
            }
            else
            {
                lines.Add($"Region by location: {region} kept ({decision.Rule}).");
            }
        }

        var (agency, language, ivrPrompts, ivrWaits) = RunMenus(options, classification, keys, lines);
        var planner = new RoutePlanner(options);
        var plan = agency is null ? planner.OperatorPlan(region) : planner.PlanFor(agency, region);
        var timers = options.Timers;

        if (agency is null)
        {
            lines.Add($"Operator queue: caller bridged, hears '{PromptSet.StayOnLine}' ({language}); call-takers are rung in turn for at most Routing:Operators:QueueTimeout {Seconds(options.Operators.QueueTimeout)}.");
        }
        else
        {
            lines.Add($"Queued: caller bridged, hears '{PromptSet.Connecting}' ({language}); dialing starts within Timers:Queue {Seconds(timers.Queue)}.");
        }

        var cap = agency is null ? options.Operators.QueueTimeout : timers.DialingTotal;
        var capName = agency is null ? "Routing:Operators:QueueTimeout" : "Timers:DialingTotal";
        var elapsed = TimeSpan.Zero;
        var announcedOverflow = false;
        for (var i = 0; i < plan.Count; i++)
        {
            var step = plan[i];
            if (step.Stage is RouteStage.Overflow or RouteStage.NationalFallback && !announcedOverflow && agency is not null)
            {
                lines.Add($"Overflow: no trunk of {region} answered; the caller hears '{PromptSet.StillTrying}' ({language}).");
                announcedOverflow = true;
            }
            if (elapsed >= cap)
            {
                lines.Add($"  not reached: {step.Trunk.Name} and later steps start after {capName} {Seconds(cap)}.");
                break;
            }
            var ring = step.Trunk.RingTimeout;
            var end = elapsed + ring > cap ? cap : elapsed + ring;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"Dial {i + 1}: {step.Trunk.Name} ({step.Trunk.Endpoint}) rings up to {Seconds(ring)} [{Stage(step.Stage)}, {step.Region}] -> gives up at +{Seconds(end)}{(end < elapsed + ring ? $" (cut by {capName})" : "")}."));
            elapsed = end;
        }

        var ivrWorst = timers.Answer + ivrPrompts * timers.Prompt + ivrWaits * timers.MenuDigit;
        var queue = agency is null ? TimeSpan.Zero : timers.Queue;
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"Worst case before failover: answer {Seconds(timers.Answer)} + IVR {ivrPrompts} prompt(s) x {Seconds(timers.Prompt)} + {ivrWaits} digit wait(s) x {Seconds(timers.MenuDigit)} + queue {Seconds(queue)} + dialing {Seconds(elapsed)} = {Seconds(ivrWorst + queue + elapsed)}."));

        var failAgency = agency ?? RoutePlanner.OperatorAgency;
        lines.Add($"If nobody answers: the engine sets ROUTING112_FAILOVER=1, ROUTING112_AGENCY={failAgency}, ROUTING112_REGION={region} and hands the call back (ARI continue).");
        lines.Add(agency is null
            ? "Dialplan fallback ([sub-fallback]): PJSIP/calltakers-1, PJSIP/calltakers-2, then the police of the region and PJSIP/police-national."
            : $"Dialplan fallback ([sub-fallback]): PJSIP/{agency}-{region}-1, PJSIP/{agency}-{region}-2, then PJSIP/{agency}-national.");
        var own = OwnDestination(dialed, classification);
        if (!string.Equals(own, failAgency, StringComparison.OrdinalIgnoreCase))
            lines.Add($"  then, once, the number's own destination ({own}) the same way.");
        lines.Add("If the engine is down: Stasis() returns STASISSTATUS=FAILED at once and the same fallback runs, with the region taken from the caller's number.");
        return lines;
    }

    /// <summary>Plays the menus against the digits as the call's IVR does (Call.Ivr.cs): a digit
    /// during the greeting or language menu picks a language, then one picks a service; invalid or
    /// missing digits repeat the menu up to Ivr.MenuRepeats times, then a call-taker takes over.</summary>
    private static (string? Agency, string Language, int Prompts, int Waits) RunMenus(
        RoutingOptions options, Classification classification, string keys, List<string> lines)
    {
        var ivr = options.Ivr;
        var language = ivr.DefaultLanguage;
        if (classification.FirstStep == FirstStep.Agency)
        {
            lines.Add($"IVR: none; straight to {classification.Agency}{(classification.DeviceId is { } d ? $" (device {d}{(classification.Location is { } l ? $", {l}" : "")})" : "")}.");
            return (classification.Agency, language, 0, 0);
        }
        if (classification.FirstStep == FirstStep.Operator)
        {
            lines.Add("IVR: none; straight to a human call-taker.");
            return (null, language, 0, 0);
        }

        var prompts = 2;
        var waits = 0;
        lines.Add($"IVR: '{PromptSet.Greeting}' then '{PromptSet.LanguageMenu}' in the default language {language} (a digit barges in).");
        var inServiceMenu = false;
        var repeats = 0;
        var at = 0;
        while (true)
        {
            var menu = inServiceMenu ? "service menu" : "language menu";
            if (at >= keys.Length)
            {
                waits++;
                repeats++;
                if (repeats > ivr.MenuRepeats)
                {
                    prompts++;
                    lines.Add($"IVR: no digit in the {menu} after {ivr.MenuRepeats} repeat(s) (Timers:MenuDigit {Seconds(options.Timers.MenuDigit)} each): '{PromptSet.SilentCall}' ({language}), then a call-taker.");
                    return (null, language, prompts, waits);
                }
                prompts++;
                lines.Add($"IVR: no digit within Timers:MenuDigit {Seconds(options.Timers.MenuDigit)}: the {menu} is repeated.");
                continue;
            }

            var key = keys[at++].ToString();
            if (!inServiceMenu && ivr.LanguageDigits.TryGetValue(key, out var chosen) && !string.IsNullOrEmpty(chosen))
            {
                language = chosen;
                inServiceMenu = true;
                repeats = 0;
                prompts++;
                lines.Add($"IVR: digit {key} -> language {language} (Routing:Ivr:LanguageDigits); '{PromptSet.ServiceMenu}' in {language}.");
                continue;
            }
            if (inServiceMenu && ivr.ServiceDigits.TryGetValue(key, out var agency) && options.Agencies.ContainsKey(agency))
            {
                lines.Add($"IVR: digit {key} -> {agency} (Routing:Ivr:ServiceDigits).");
                return (agency, language, prompts, waits);
            }
            repeats++;
            if (repeats > ivr.MenuRepeats)
            {
                lines.Add($"IVR: digit {key} means nothing in the {menu}, after {ivr.MenuRepeats} repeat(s): a call-taker.");
                return (null, language, prompts, waits);
            }
            prompts++;
            lines.Add($"IVR: digit {key} means nothing in the {menu}: the menu is repeated.");
        }
    }

    /// <summary>Why the classifier's region: the longest prefix of that region the number starts
    /// with (the planner's rule), a device's configured region, or the default.</summary>
    private static string RegionReason(RoutingOptions options, Classification classification)
    {
        var region = classification.Region;
        if (classification.DeviceId is not null && options.Devices.Values.Any(d => string.Equals(d.Region, region, StringComparison.OrdinalIgnoreCase)) && classification.Entry == CallEntry.Sos)
            return $"{region} (the SOS device's Routing:Devices region).";
        var number = classification.CallerNumber;
        var prefix = options.Regions.TryGetValue(region, out var r)
            ? r.CallerPrefixes.Select(CallerText.NormaliseNumber).Where(p => p.Length > 0 && number.StartsWith(p, StringComparison.Ordinal)).OrderByDescending(p => p.Length).FirstOrDefault()
            : null;
        return prefix is not null
            ? $"{region} (the number starts with {prefix}, Routing:Regions:{region}:CallerPrefixes)."
            : $"{region} (no caller prefix matched: Routing:DefaultRegion).";
    }

    /// <summary>The destination extensions.conf gives each entry's fallback (Gosub(sub-fallback,s,1(...))).</summary>
    private static string OwnDestination(string? dialed, Classification classification) =>
        classification.Entry == CallEntry.Sos ? "police"
        : StasisArgsByNumber.TryGetValue((dialed ?? "").Trim(), out var args) && args is ["direct", var agency] ? agency
        : RoutePlanner.OperatorAgency;

    private static string Describe(FirstStep step) => step switch
    {
        FirstStep.Menu => "IVR menus (language, then service)",
        FirstStep.Agency => "straight to the agency",
        _ => "straight to a call-taker",
    };

    private static string Stage(RouteStage stage) => stage switch
    {
        RouteStage.Primary => "primary",
        RouteStage.Overflow => "overflow",
        RouteStage.NationalFallback => "national fallback",
        _ => "call-taker",
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static Routing.Calls.Location.CallLocation? DeviceLocation(RoutingOptions options, Classification classification)
    {
        if (classification.DeviceId is not { } id || !options.Devices.TryGetValue(id, out var device)) return null;
        if (device?.Latitude is not { } lat || device.Longitude is not { } lon || !Routing.Calls.Location.GeoPoint.TryCreate(lat, lon, out var point, out _)) return null;
        return new Routing.Calls.Location.CallLocation(Routing.Calls.Location.LocationSource.SosDevice, DateTimeOffset.UnixEpoch, null, point,
            device.UncertaintyMeters, device.Location, "Configured", "");
    }
}
