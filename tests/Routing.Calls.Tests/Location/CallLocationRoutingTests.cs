using Routing.Calls.Location;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests.Location;

/// <summary>A call's location on its record and in its routing: written before used, chooses the region while the
/// call is not yet put through and the fix is trustworthy, and travels to the agency with the leg.</summary>
public class CallLocationRoutingTests
{
    private static readonly GeoPoint Astana = new(51.1694, 71.4491);

    private static CallLocation Aml(CallHarness h, GeoPoint? point = null, double accuracy = 12, TimeSpan? age = null) =>
        new(LocationSource.Aml, h.Time.GetUtcNow(), h.Time.GetUtcNow() - (age ?? TimeSpan.FromSeconds(5)), point ?? Astana, accuracy, null, "GNSS",
            "A\"ML=1;lt=+51.16940;lg=+071.44910;rd=12;top=20261124021255;lc=90;pm=G;si=001;ei=1234;mcc=401;mnc=01;ml=125");

    /// <summary>Answers the greeting and language menu, so the next input arrives before the service digit.</summary>
    private static async Task ThroughLanguageMenuAsync(CallHarness h)
    {
        await h.StartAsync();
        await h.FinishPromptAsync();
        await h.FinishPromptAsync();
        await h.DigitAsync('3');
        await h.FinishPromptAsync();
    }

    [Fact]
    public async Task A_mobile_from_Almaty_calling_from_Astana_with_a_fresh_precise_fix_is_routed_to_Astana_police()
    {
        var h = new CallHarness(callerNumber: "+77271234567");
        await ThroughLanguageMenuAsync(h);
        await h.SendAsync(new CallInput.LocationReported(Aml(h)));
        await h.DigitAsync('2');

        Assert.Equal("PJSIP/police-astana-1", h.Telephony.Dials[0].Endpoint);
        Assert.Equal("astana", h.Call.Snapshot.Region);
        var decided = Assert.Single(h.Journal.EventsOf("location.region"));
        Assert.StartsWith("almaty -> astana: Aml location 51.1694 71.4491 is inside region astana's area", decided.Detail);
        var recorded = Assert.Single(h.Journal.EventsOf("location"));
        Assert.Contains("source=aml", recorded.Detail);
        Assert.Contains("accuracy=12 m", recorded.Detail);
        Assert.Contains("shape=circle 51.1694 71.4491 r=12 m", recorded.Detail);
        Assert.Contains("raw=A\"ML=1;lt=+51.16940", recorded.Detail);
        Assert.True(h.IndexOf($"journal:location {recorded.Detail}") < h.IndexOf($"journal:location.region {decided.Detail}"), "recorded before used");
        Assert.Equal("<geo:51.1694,71.4491;u=12>", h.Telephony.Dials[0].Variables["PJSIP_HEADER(add,X-Routing112-Location)"]);
        Assert.Equal("aml", h.Telephony.Dials[0].Variables["PJSIP_HEADER(add,X-Routing112-Location-Source)"]);
        Assert.Equal(Astana, h.Call.Snapshot.Location!.Point);
    }

    [Fact]
    public async Task A_stale_fix_is_recorded_and_shown_but_the_number_chooses_the_region()
    {
        var h = new CallHarness(callerNumber: "+77271234567");
        await ThroughLanguageMenuAsync(h);
        await h.SendAsync(new CallInput.LocationReported(Aml(h, age: TimeSpan.FromMinutes(5))));
        await h.DigitAsync('2');

        Assert.Equal("PJSIP/police-almaty-1", h.Telephony.Dials[0].Endpoint);
        Assert.Equal("almaty kept: Aml location is 300 s old, older than Routing:Location:RoutingMaxAge 00:02:00",
            Assert.Single(h.Journal.EventsOf("location.region")).Detail);
        Assert.Single(h.Journal.EventsOf("location"));
        Assert.NotNull(h.Call.Snapshot.Location);
    }

    [Fact]
    public async Task An_imprecise_fix_does_not_choose_the_region()
    {
        var h = new CallHarness(callerNumber: "+77271234567");
        await ThroughLanguageMenuAsync(h);
        await h.SendAsync(new CallInput.LocationReported(Aml(h, accuracy: 5000)));
        await h.DigitAsync('2');

        Assert.Equal("PJSIP/police-almaty-1", h.Telephony.Dials[0].Endpoint);
        Assert.Contains("less precise than Routing:Location:RoutingMaxUncertaintyMeters", Assert.Single(h.Journal.EventsOf("location.region")).Detail);
    }

    [Fact]
    public async Task The_sender_forbidding_routing_by_location_keeps_the_number_region()
    {
        var h = new CallHarness(callerNumber: "+77271234567");
        await ThroughLanguageMenuAsync(h);
        var pidf = Aml(h) with { Source = LocationSource.SipPidfLo };
        await h.SendAsync(new CallInput.LocationReported(pidf, RoutingAllowed: false));
        await h.DigitAsync('2');

        Assert.Equal("PJSIP/police-almaty-1", h.Telephony.Dials[0].Endpoint);
        Assert.Contains("Geolocation-Routing: no", Assert.Single(h.Journal.EventsOf("location.region")).Detail);
    }

    [Fact]
    public async Task A_location_after_the_call_was_put_through_does_not_re_route_it_but_goes_with_the_next_leg()
    {
        var h = new CallHarness(callerNumber: "+77271234567");
        await h.ChooseAsync('3', '2');
        Assert.Equal("PJSIP/police-almaty-1", h.Telephony.Dials[0].Endpoint);
        Assert.False(h.Telephony.Dials[0].Variables.ContainsKey("PJSIP_HEADER(add,X-Routing112-Location)"));

        await h.SendAsync(new CallInput.LocationReported(Aml(h)));
        await h.LegBusyAsync();

        Assert.Equal("almaty", h.Call.Snapshot.Region);
        Assert.Equal("PJSIP/police-almaty-2", h.Telephony.Dials[1].Endpoint);
        Assert.Equal("<geo:51.1694,71.4491;u=12>", h.Telephony.Dials[1].Variables["PJSIP_HEADER(add,X-Routing112-Location)"]);
        Assert.Empty(h.Journal.EventsOf("location.region"));
        Assert.StartsWith("aml: not re-routed, the call was already put through (region almaty)", Assert.Single(h.Journal.EventsOf("location.late")).Detail);
        Assert.Equal(Astana, h.Call.Snapshot.Location!.Point);
    }

    [Fact]
    public async Task A_rejected_location_is_recorded_and_the_call_is_still_routed_by_its_number()
    {
        var h = new CallHarness(callerNumber: "+77271234567");
        await ThroughLanguageMenuAsync(h);
        var reading = PidfLoParser.Parse(RecordedInvites.Pidf("geolocation-malformed-ari-read.geocaller-malformed.sipp-msg.txt"), h.Time.GetUtcNow());
        Assert.False(reading.Ok);
        await h.SendAsync(new CallInput.LocationRejected(LocationSource.SipPidfLo, reading.Error!));
        await h.DigitAsync('2');

        Assert.Equal("PJSIP/police-almaty-1", h.Telephony.Dials[0].Endpoint);
        var rejected = Assert.Single(h.Journal.EventsOf("location.rejected")).Detail;
        Assert.StartsWith("sip-pidf: PIDF-LO: not well-formed XML", rejected);
        Assert.EndsWith("routed by number (region almaty)", rejected);
        Assert.Null(h.Call.Snapshot.Location);
    }

    [Fact]
    public async Task An_SOS_button_brings_its_configured_place_as_a_real_location_sent_to_the_agency()
    {
        var h = new CallHarness(["sos"], callerNumber: "+77170000201");
        await h.StartAsync();

        var recorded = Assert.Single(h.Journal.EventsOf("location")).Detail;
        Assert.StartsWith("source=sos-device; received=2026-11-24T02:13:00.000Z; accuracy=5 m; shape=circle 51.1605 71.4704 r=5 m; civic=Astana, Republic Ave 5, pole 3; method=Configured; raw=Routing:Devices:+77170000201", recorded);
        Assert.Equal("astana kept: SosDevice location 51.1605 71.4704 is inside region astana's area", Assert.Single(h.Journal.EventsOf("location.region")).Detail);
        var dial = Assert.Single(h.Telephony.Dials);
        Assert.Equal("<geo:51.1605,71.4704;u=5>", dial.Variables["PJSIP_HEADER(add,X-Routing112-Location)"]);
        Assert.Equal("sos-device", dial.Variables["PJSIP_HEADER(add,X-Routing112-Location-Source)"]);
        Assert.Equal("Astana, Republic Ave 5, pole 3", dial.Variables["ROUTING112_LOCATION"]);
        Assert.True(h.IndexOf("journal:location " + recorded) < h.IndexOf("journal:leg " + dial.LegChannelId));
    }

    [Fact]
    public async Task A_call_without_any_location_routes_by_number_and_sends_no_location_header()
    {
        var h = new CallHarness(callerNumber: "+77171234567");
        await h.ChooseAsync('3', '2');
        Assert.Equal("PJSIP/police-astana-1", h.Telephony.Dials[0].Endpoint);
        Assert.DoesNotContain(h.Telephony.Dials[0].Variables.Keys, k => k.StartsWith("PJSIP_HEADER", StringComparison.Ordinal));
        Assert.Empty(h.Journal.EventsOf("location"));
    }
}
