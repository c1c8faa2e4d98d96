using Routing.Calls.Location;
using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests.Location;

/// <summary>Legs to trunks that take PIDF-LO carry a reference to the call's location (RFC 6442 Geolocation), on the
/// record before the dial; other legs carry none.</summary>
public class LocationReferenceLegTests
{
    private sealed class FakeReferences : ILocationReferences
    {
        public List<string> Asked { get; } = [];

        public LocationReference ReferenceFor(Call call)
        {
            Asked.Add(call.CallId);
            return new LocationReference("https://location.test/location/ref/TOKEN", "0123456789ab");
        }
    }

    private static CallHarness Harness(FakeReferences? references, bool policeTakesPidf = true)
    {
        var options = TestOptions.Default();
        foreach (var region in options.Regions.Values)
        {
            foreach (var trunk in region.Trunks["police"]) trunk.TakesPidfLo = policeTakesPidf;
        }

        return new CallHarness(callerNumber: "+77271234567", options: options, references: references);
    }

    [Fact]
    public async Task A_police_leg_to_a_trunk_that_takes_PIDF_LO_carries_the_reference_written_to_the_record_before_the_dial()
    {
        var references = new FakeReferences();
        var h = Harness(references);
        await h.StartAsync();
        await h.FinishPromptAsync();
        await h.FinishPromptAsync();
        await h.DigitAsync('3');
        await h.FinishPromptAsync();
        await h.SendAsync(new CallInput.LocationReported(new CallLocation(LocationSource.Aml, h.Time.GetUtcNow(), null, new GeoPoint(43.2389, 76.9455), 8, null, "GNSS", "aml")));
        await h.DigitAsync('2');

        var dial = h.Telephony.Dials[0];
        Assert.Equal("<https://location.test/location/ref/TOKEN>", dial.Variables["PJSIP_HEADER(add,Geolocation)"]);
        Assert.Equal("no", dial.Variables["PJSIP_HEADER(add,Geolocation-Routing)"]);
        var issued = Assert.Single(h.Journal.EventsOf("location.reference"));
        Assert.Equal("police-almaty-1: Geolocation by reference #0123456789ab, Geolocation-Routing: no; serves circle 43.2389 76.9455 r=8 m", issued.Detail);
        Assert.InRange(h.IndexOf($"journal:location.reference {issued.Detail}"), 0, int.MaxValue);
        Assert.True(h.IndexOf($"journal:location.reference {issued.Detail}") < h.IndexOf($"telephony:dial {dial.LegChannelId} {dial.Endpoint}"), "recorded before the dial");
        Assert.Equal([h.Call.CallId], references.Asked);
    }

    [Fact]
    public async Task A_trunk_that_does_not_take_PIDF_LO_gets_no_reference_and_a_missing_reference_service_is_on_record()
    {
        var references = new FakeReferences();
        var plain = Harness(references, policeTakesPidf: false);
        await plain.ChooseAsync('3', '2');
        Assert.False(plain.Telephony.Dials[0].Variables.ContainsKey("PJSIP_HEADER(add,Geolocation)"));
        Assert.Empty(references.Asked);

        var unserved = Harness(references: null);
        await unserved.ChooseAsync('3', '2');
        Assert.False(unserved.Telephony.Dials[0].Variables.ContainsKey("PJSIP_HEADER(add,Geolocation)"));
        Assert.StartsWith("police-almaty-1 takes PIDF-LO but the engine serves no location references", Assert.Single(unserved.Journal.EventsOf("location.reference")).Detail);
    }
}
