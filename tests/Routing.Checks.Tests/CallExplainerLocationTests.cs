using System.Text.Json;
using Routing.Calls.Location;
using Routing.Calls.Routing;

namespace Routing.Checks.Tests;

/// <summary><c>routing explain</c> with a location: which rule decided the region, and the plan that follows.</summary>
public class CallExplainerLocationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static RoutingOptions Shipped()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.AppSettings));
        var options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            PreferredObjectCreationHandling = System.Text.Json.Serialization.JsonObjectCreationHandling.Populate,
        };
        return JsonSerializer.Deserialize<RoutingOptions>(document.RootElement.GetProperty("Routing").GetRawText(), options)!;
    }

    private static CallLocation Aml(double lat, double lon, double accuracy, TimeSpan age) =>
        new(LocationSource.Aml, Now, Now - age, new GeoPoint(lat, lon), accuracy, null, "explain", "");

    [Fact]
    public void An_Almaty_mobile_with_a_fresh_fix_in_Astana_is_explained_as_routed_to_Astana_by_its_location()
    {
        var lines = CallExplainer.Explain(Shipped(), "+77271234567", "112", "32", Aml(51.1694, 71.4491, 15, TimeSpan.FromSeconds(20)), Now);
        var text = string.Join("\n", lines);

        Assert.Contains("Region: almaty (the number starts with +7727", text);
        Assert.Contains("Region by location: astana instead of almaty (Aml location 51.1694 71.4491 is inside region astana's area).", text);
        Assert.StartsWith("Dial 1: police-astana-1", lines.First(l => l.StartsWith("Dial ", StringComparison.Ordinal)));
        Assert.Contains("ROUTING112_REGION=astana", text);
    }

    [Fact]
    public void A_stale_fix_is_explained_as_not_deciding_and_the_number_region_is_kept()
    {
        var lines = CallExplainer.Explain(Shipped(), "+77271234567", "112", "32", Aml(51.1694, 71.4491, 15, TimeSpan.FromMinutes(3)), Now);

        Assert.Contains("Region by location: almaty kept (Aml location is 180 s old, older than Routing:Location:RoutingMaxAge 00:02:00).", lines);
        Assert.StartsWith("Dial 1: police-almaty-1", lines.First(l => l.StartsWith("Dial ", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_SOS_button_is_explained_with_its_configured_place()
    {
        var lines = CallExplainer.Explain(Shipped(), "+77170000201", "sos", "");

        Assert.Contains("Region by location: astana kept (SosDevice location 51.1605 71.4704 is inside region astana's area).", lines);
    }
}
