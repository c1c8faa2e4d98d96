using Routing.Calls.Routing;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

public class RoutingOptionsValidatorTests
{
    private static IReadOnlyList<string> ErrorsAfter(Action<RoutingOptions> breakIt)
    {
        var options = TestOptions.Default();
        breakIt(options);
        return RoutingOptionsValidator.Validate(options);
    }

    [Fact]
    public void The_shipped_configuration_is_valid_including_its_mutual_overflow_between_almaty_and_astana()
    {
        // With Timers.DialingTotal at least TestOptions.DialingTotalForShippedPlans (see there).
        Assert.Empty(RoutingOptionsValidator.Validate(TestOptions.Default()));
    }

    public static TheoryData<string, Action<RoutingOptions>, string> BrokenConfigs => new()
    {
        { "empty endpoint", o => o.Regions["almaty"].Trunks["fire"][1].Endpoint = "", "Routing:Regions:almaty:Trunks:fire:1:Endpoint is empty" },
        { "endpoint without tech", o => o.Regions["astana"].Trunks["police"][0].Endpoint = "police-astana-1", "Routing:Regions:astana:Trunks:police:0:Endpoint 'police-astana-1' is not of the form TECH/resource" },
        { "endpoint with spaces", o => o.NationalFallback["gas"][0].Endpoint = "PJSIP/gas national", "Routing:NationalFallback:gas:0:Endpoint 'PJSIP/gas national' is not of the form TECH/resource" },
        { "unknown default region", o => o.DefaultRegion = "x", "Routing:DefaultRegion 'x' is not a configured region" },
        { "unknown video entry", o => o.Video.Entries = ["App", "Police app"], "Routing:Video:Entries:1 'Police app' is not a call entry (Emergency112, App, Direct, Sos)" },
        { "video entry twice", o => o.Video.Entries = ["Sos", "sos"], "Routing:Video:Entries:1 'sos' is listed twice" },
        { "unknown video mode", o => o.Video.Mode = (global::Routing.Calls.Video.VideoBridgeMode)7, "Routing:Video:Mode must be SingleSource or Sfu, not '7'" },
        { "empty default region", o => o.DefaultRegion = "", "Routing:DefaultRegion is empty" },
        { "unknown agency in service digits", o => o.Ivr.ServiceDigits["5"] = "coastguard", "Routing:Ivr:ServiceDigits:5 'coastguard' is not a configured agency" },
        { "unknown agency in trunks", o => o.Regions["almaty"].Trunks["coastguard"] = [new() { Name = "cg-1", Endpoint = "PJSIP/cg-1" }], "Routing:Regions:almaty:Trunks:coastguard is not a configured agency" },
        { "unknown agency in fallback", o => o.NationalFallback["coastguard"] = [new() { Name = "cg-n", Endpoint = "PJSIP/cg-n" }], "Routing:NationalFallback:coastguard is not a configured agency" },
        { "unknown agency of a device", o => o.Devices["+77270000101"].Agency = "coastguard", "Routing:Devices:+77270000101:Agency 'coastguard' is not a configured agency" },
        { "unknown region of a device", o => o.Devices["+77170000201"].Region = "atlantis", "Routing:Devices:+77170000201:Region 'atlantis' is not a configured region" },
        { "overflow to unknown region", o => o.Regions["shymkent"].OverflowTo = "atlantis", "Routing:Regions:shymkent:OverflowTo 'atlantis' is not a configured region" },
        { "overflow to itself", o => o.Regions["shymkent"].OverflowTo = "shymkent", "Routing:Regions:shymkent:OverflowTo 'shymkent' points to the region itself" },
        { "zero ring timeout", o => o.Regions["almaty"].Trunks["police"][0].RingTimeout = TimeSpan.Zero, "Routing:Regions:almaty:Trunks:police:0:RingTimeout must be greater than zero" },
        { "duplicate trunk name", o => o.Regions["astana"].Trunks["fire"][0].Name = "fire-almaty-1", "Routing:Regions:astana:Trunks:fire:0:Name 'fire-almaty-1' is already used by Routing:Regions:almaty:Trunks:fire:0" },
        { "empty trunk name", o => o.Operators.Trunks[0].Name = " ", "Routing:Operators:Trunks:0:Name is empty" },
        { "two-key digit", o => o.Ivr.LanguageDigits["12"] = "de", "Routing:Ivr:LanguageDigits:12 is not a single key 0-9, * or #" },
        { "letter digit", o => o.Ivr.ServiceDigits["a"] = "fire", "Routing:Ivr:ServiceDigits:a is not a single key 0-9, * or #" },
        { "too many repeats", o => o.Ivr.MenuRepeats = 5, "Routing:Ivr:MenuRepeats must be between 0 and 3 (is 5)" },
        { "negative repeats", o => o.Ivr.MenuRepeats = -1, "Routing:Ivr:MenuRepeats must be between 0 and 3 (is -1)" },
        { "no languages", o => o.Ivr.LanguageDigits.Clear(), "Routing:Ivr:LanguageDigits is empty" },
        { "empty language", o => o.Ivr.LanguageDigits["3"] = "", "Routing:Ivr:LanguageDigits:3 is empty" },
        { "default language not in menu", o => o.Ivr.DefaultLanguage = "de", "Routing:Ivr:DefaultLanguage 'de' is not one of the LanguageDigits languages" },
        { "entry language without prompts", o => o.Ivr.EntryLanguages["direct"] = "de", "Routing:Ivr:EntryLanguages:direct 'de' is not one of the LanguageDigits languages" },
        { "unknown entry", o => o.Ivr.EntryLanguages["102"] = "ru", "Routing:Ivr:EntryLanguages:102 is not an entry (one of 112, app, direct, sos)" },
        { "prompt base with spaces", o => o.Ivr.PromptBase = "../etc passwd", "Routing:Ivr:PromptBase '../etc passwd' may only hold" },
        { "zero menu timer", o => o.Timers.MenuDigit = TimeSpan.Zero, "Routing:Timers:MenuDigit must be greater than zero" },
        { "negative dialing timer", o => o.Timers.DialingTotal = TimeSpan.FromSeconds(-1), "Routing:Timers:DialingTotal must be greater than zero" },
        { "negative connecting delay", o => o.Timers.ConnectingPrompt = TimeSpan.FromSeconds(-1), "Routing:Timers:ConnectingPrompt must be between 00:00:00 and 00:00:05 (is -00:00:01)" },
        { "connecting delay too long", o => o.Timers.ConnectingPrompt = TimeSpan.FromSeconds(6), "Routing:Timers:ConnectingPrompt must be between 00:00:00 and 00:00:05 (is 00:00:06)" },
        { "zero operator queue", o => o.Operators.QueueTimeout = TimeSpan.Zero, "Routing:Operators:QueueTimeout must be greater than zero" },
        { "no call-takers", o => o.Operators.Trunks.Clear(), "Routing:Operators:Trunks is empty" },
        { "bad caller prefix", o => o.Regions["almaty"].CallerPrefixes[1] = "87x7", "Routing:Regions:almaty:CallerPrefixes:1 '87x7' is not a number prefix" },
        { "prefix claimed twice", o => o.Regions["astana"].CallerPrefixes.Add("+7727"), "Routing:Regions:astana:CallerPrefixes:2 '+7727' is already a prefix of region 'almaty'" },
        { "no regions", o => o.Regions.Clear(), "Routing:Regions has no region" },
        { "empty caller id template", o => o.AgencyCallerId = "", "Routing:AgencyCallerId is empty" },
        { "caller id without the number in angle brackets", o => o.AgencyCallerId = "112 {caller}", "Routing:AgencyCallerId '112 {caller}' must present the number as <{caller}>" },
        { "caller id with a line break", o => o.AgencyCallerId = "\"112\r\nEvil: 1\" <{caller}>", "Routing:AgencyCallerId '" },
    };

    [Theory]
    [MemberData(nameof(BrokenConfigs))]
    public void A_broken_configuration_is_reported_under_its_own_key(string what, Action<RoutingOptions> breakIt, string expected)
    {
        var errors = ErrorsAfter(breakIt);
        Assert.True(errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)),
            $"{what}: expected an error starting with \"{expected}\", got:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void A_dialing_bound_that_would_cut_the_last_trunks_of_a_plan_is_reported_with_region_agency_and_ringing_time()
    {
        var errors = ErrorsAfter(o => o.Timers.DialingTotal = TimeSpan.FromSeconds(120));
        // shymkent → almaty → astana (3 × (20 + 25) s) + national 30 s
        Assert.Contains("Routing:Timers:DialingTotal (00:02:00) must be longer than the worst-case dialing plan: "
            + "police from region shymkent rings 7 trunks for up to 00:02:45 in all", errors);
        // almaty ↔ astana (2 × (20 + 25) s) + national 30 s: equal races the last ring timeout
        Assert.Contains("Routing:Timers:DialingTotal (00:02:00) must be longer than the worst-case dialing plan: "
            + "gas from region almaty rings 5 trunks for up to 00:02:00 in all", errors);
        Assert.Equal(12, errors.Count(e => e.StartsWith("Routing:Timers:DialingTotal (", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_dialing_bound_just_above_the_worst_case_plan_is_fine()
    {
        var errors = ErrorsAfter(o => o.Timers.DialingTotal = TimeSpan.FromSeconds(166));
        Assert.DoesNotContain(errors, e => e.StartsWith("Routing:Timers:DialingTotal", StringComparison.Ordinal));
    }

    [Fact]
    public void The_dialing_bound_counts_a_longer_ring_timeout_wherever_it_sits_in_the_plan()
    {
        var errors = ErrorsAfter(o => o.NationalFallback["fire"][0].RingTimeout = TimeSpan.FromSeconds(60));
        Assert.Equal(
            ["Routing:Timers:DialingTotal (00:03:00) must be longer than the worst-case dialing plan: fire from region shymkent rings 7 trunks for up to 00:03:15 in all"],
            errors);
    }

    [Theory]
    [InlineData(60, true)] // 2 call-takers × 30 s: equal races the last ring timeout
    [InlineData(45, true)]
    [InlineData(61, false)]
    public void A_queue_bound_that_would_cut_the_last_call_taker_is_reported(int queueSeconds, bool rejected)
    {
        var errors = ErrorsAfter(o => o.Operators.QueueTimeout = TimeSpan.FromSeconds(queueSeconds));
        var expected = $"Routing:Operators:QueueTimeout ({TimeSpan.FromSeconds(queueSeconds)}) must be longer than the call-taker plan: "
            + "Routing:Operators:Trunks ring 2 trunks for up to 00:01:00 in all";
        Assert.Equal(rejected ? [expected] : [], errors);
    }

    [Fact]
    public void The_outer_bounds_check_does_not_trip_over_a_broken_plan()
    {
        var errors = ErrorsAfter(o =>
        {
            o.Regions["almaty"].Trunks["police"][0] = null!;
            o.NationalFallback["fire"] = null!;
            o.Operators.Trunks[1].RingTimeout = TimeSpan.Zero;
            o.Timers.DialingTotal = TimeSpan.FromSeconds(150);
        });
        Assert.Contains("Routing:Regions:almaty:Trunks:police:0 is empty", errors);
        // police from shymkent lost a 20 s trunk (145 s), fire its national 30 s (135 s): both fit in 150 s
        Assert.Equal(
        [
            "Routing:Timers:DialingTotal (00:02:30) must be longer than the worst-case dialing plan: ambulance from region shymkent rings 7 trunks for up to 00:02:45 in all",
            "Routing:Timers:DialingTotal (00:02:30) must be longer than the worst-case dialing plan: gas from region shymkent rings 7 trunks for up to 00:02:45 in all",
        ], errors.Where(e => e.StartsWith("Routing:Timers:DialingTotal", StringComparison.Ordinal)));
        Assert.DoesNotContain(errors, e => e.StartsWith("Routing:Operators:QueueTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void An_agency_without_any_trunk_anywhere_is_unreachable()
    {
        var errors = ErrorsAfter(o =>
        {
            foreach (var region in o.Regions.Values) region.Trunks.Remove("gas");
            o.NationalFallback.Remove("gas");
        });
        Assert.Contains("Routing:Agencies:gas has no trunk in any region and no Routing:NationalFallback:gas", errors);
    }

    [Fact]
    public void An_agency_reachable_only_through_overflow_or_national_fallback_is_fine()
    {
        var errors = ErrorsAfter(o =>
        {
            o.Regions["shymkent"].Trunks.Remove("gas");
            foreach (var region in o.Regions.Values) region.Trunks.Remove("ambulance");
        });
        Assert.Empty(errors);
    }

    [Fact]
    public void An_agency_a_region_cannot_reach_is_named_with_that_region()
    {
        var errors = ErrorsAfter(o =>
        {
            o.NationalFallback.Remove("gas");
            o.Regions["shymkent"].OverflowTo = null;
            o.Regions["shymkent"].Trunks.Remove("gas");
        });
        Assert.Contains(errors, e => e.StartsWith("Routing:Regions:shymkent:Trunks:gas is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var errors = ErrorsAfter(o =>
        {
            o.DefaultRegion = "x";
            o.Timers.Prompt = TimeSpan.Zero;
            o.Ivr.MenuRepeats = 9;
        });
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void A_missing_section_is_an_error_not_an_exception() =>
        Assert.Equal(["Routing section is missing"], RoutingOptionsValidator.Validate(null));
}
