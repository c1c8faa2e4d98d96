using Microsoft.Extensions.Time.Testing;
using Routing.Calls.Location;
using Routing.Calls.Routing;
using Microsoft.Extensions.Configuration;
using Routing.Engine.Hosting;
using Routing.Engine.Location;

namespace Routing.Engine.Tests.Location;

/// <summary>The configuration of location by reference, refused at start with errors that name the key, and the
/// life of a reference: served while the call lives and a grace after, then spent, then forgotten, bounded.</summary>
public sealed class LocationReferenceOptionsTests
{
    private static RoutingOptions Routing(bool takesPidf) => new()
    {
        Regions = { ["almaty"] = new RegionOptions { Trunks = { ["police"] = [new TrunkOptions { Name = "police-almaty-1", Endpoint = "PJSIP/police-almaty-1", TakesPidfLo = takesPidf }] } } },
    };

    [Fact]
    public void A_trunk_that_takes_PIDF_LO_needs_a_base_URL_which_must_be_https_and_fit_a_SIP_header()
    {
        Assert.Contains("Routing:Regions:almaty:Trunks:police:0:TakesPidfLo is true but LocationReference:BaseUrl is empty: the engine would have no location to refer the agency to",
            new LocationReferenceOptions().Validate(Routing(takesPidf: true)));
        Assert.Empty(new LocationReferenceOptions().Validate(Routing(takesPidf: false)));
        Assert.Empty(new LocationReferenceOptions { BaseUrl = "https://112-location.example.kz/engine" }.Validate(Routing(takesPidf: true)));

        Assert.Contains("LocationReference:BaseUrl must be https (the reference carries a caller's location; LocationReference:AllowPlainHttp is for a lab)",
            new LocationReferenceOptions { BaseUrl = "http://112-location.example.kz" }.Validate(Routing(false)));
        Assert.Contains("LocationReference:BaseUrl must hold no user information, query or fragment",
            new LocationReferenceOptions { BaseUrl = "https://u:p@112-location.example.kz/?a=1" }.Validate(Routing(false)));
        Assert.Contains("LocationReference:BaseUrl holds a character that cannot stand in a SIP Geolocation header",
            new LocationReferenceOptions { BaseUrl = "https://112-location.example.kz/a>b" }.Validate(Routing(false)));
        Assert.Contains("LocationReference:BaseUrl 'location' is not an absolute URL", new LocationReferenceOptions { BaseUrl = "location" }.Validate(Routing(false)));
        Assert.Contains("LocationReference:Grace must be between 0 and 1 hour", new LocationReferenceOptions { Grace = TimeSpan.FromHours(2) }.Validate(Routing(false)));
        Assert.Contains("LocationReference:MaxReferences must be between 100 and 1000000", new LocationReferenceOptions { MaxReferences = 1 }.Validate(Routing(false)));
    }

    [Fact]
    public void The_engine_refuses_to_start_when_a_trunk_takes_PIDF_LO_without_a_base_URL()
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["LocationReference:Grace"] = "00:01:00" }).Build();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();

        var error = Assert.Throws<ConfigurationException>(() => services.AddLocationIntake(root, Routing(takesPidf: true)));

        Assert.Contains("Routing:Regions:almaty:Trunks:police:0:TakesPidfLo is true but LocationReference:BaseUrl is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reference_is_the_same_for_every_leg_serves_until_the_grace_has_passed_then_is_spent_then_forgotten()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 20, 0, 0, TimeSpan.Zero));
        var options = new LocationReferenceOptions { BaseUrl = "https://loc.test", Grace = TimeSpan.FromMinutes(2), RememberSpent = TimeSpan.FromHours(1) };
        var references = new LocationReferences(options, time);
        var here = new CallLocation(LocationSource.Aml, time.GetUtcNow(), null, new GeoPoint(43.2, 76.9), 10, null, "GPS", "raw");
        CallLocation? now = null;
        var ended = new TaskCompletionSource();

        var first = references.Issue("call-1", () => now, ended.Task);
        Assert.Equal(first, references.Issue("call-1", () => now, ended.Task));
        var token = first.Uri["https://loc.test/location/ref/".Length..];
        Assert.Equal(LocationReferences.TokenLength, token.Length);
        Assert.NotEqual(first.Uri, references.Issue("call-2", () => null, new TaskCompletionSource().Task).Uri);
        Assert.Equal(ReferenceState.Serving, references.Find(token).State);
        Assert.Null(references.Find(token).Location);
        now = here;
        Assert.Equal(here, references.Find(token).Location);

        ended.SetResult();
        await ended.Task;
        now = null;
        Assert.Equal(here, references.Find(token).Location);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(ReferenceState.Serving, references.Find(token).State);
        time.Advance(TimeSpan.FromSeconds(1));
        var spent = references.Find(token);
        Assert.Equal(ReferenceState.Spent, spent.State);
        Assert.Equal("call-1", spent.CallId);
        Assert.Null(spent.Location);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ReferenceState.Unknown, references.Find(token).State);
        Assert.Equal(ReferenceState.Unknown, references.Find(token[..^1] + (token[^1] == 'A' ? 'B' : 'A')).State);
        Assert.Equal(ReferenceState.Unknown, references.Find("../../etc/passwd").State);
    }

    [Fact]
    public void References_beyond_the_bound_forget_the_spent_ones_first()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 20, 0, 0, TimeSpan.Zero));
        var references = new LocationReferences(new LocationReferenceOptions { BaseUrl = "https://loc.test", MaxReferences = 100, Grace = TimeSpan.Zero }, time);
        var live = references.Issue("live", () => null, new TaskCompletionSource().Task);
        for (var i = 0; i < 150; i++) references.Issue($"ended-{i}", () => null, Task.CompletedTask);

        Assert.Equal(100, references.Count);
        Assert.Equal(ReferenceState.Serving, references.Find(live.Uri[^LocationReferences.TokenLength..]).State);
    }
}
