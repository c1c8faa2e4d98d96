using Routing.Engine.Hosting;
using Routing.Engine.Simulation;
using Routing.Simulator;

namespace Routing.Engine.Tests.Text;

/// <summary>Text callers as shipped: appsettings.json's Text section works as it is, and make run's synthetic text
/// callers write through it.</summary>
public sealed class ShippedTextTests
{
    /// <summary>appsettings.json as shipped; only the secrets it must not hold are given.</summary>
    internal static EngineConfiguration Shipped(string? centre)
    {
        var overrides = new Dictionary<string, string?> { ["Asterisk:Ari:Password"] = "x", ["Asterisk:Ami:Password"] = "x" };
        if (centre is not null) overrides[EngineConfiguration.CentreEnabledKey] = centre;
        return EngineConfiguration.Bind(EngineConfiguration.Load(null, overrides));
    }

    [Fact]
    public void The_shipped_configuration_has_text_on_with_the_gateway_and_a_desk_per_agency_as_pjsip_conf_names_them()
    {
        var shipped = Shipped(centre: null);

        Assert.True(shipped.Text.Enabled);
        Assert.Equal(["ambulance-text", "app-messages", "fire-text", "gas-text", "police-text"], SimulatedTextEndpoints.For(shipped.Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Turning_the_centre_off_turns_text_off_instead_of_refusing_to_start()
    {
        var noCentre = Shipped(centre: "false");

        Assert.False(noCentre.Text.Enabled);
    }

    [Fact]
    public async Task A_synthetic_text_caller_of_make_run_opens_a_session_through_the_shipped_gateway()
    {
        await using var text = await TextHarness.StartShippedAsync();
        var shipped = text.Harness.Configuration;
        var texter = new SyntheticTextMix(shipped.Text, shipped.Routing, seed: 1).Next();

        Assert.Equal("app-messages", texter.GatewayEndpoint);
        foreach (var message in texter.Messages) Assert.Equal(TextDelivery.ToApp, text.Asterisk.SendTextMessage(texter.GatewayEndpoint, texter.From, message));
        var id = await text.WaitForSessionAsync(s => texter.From.Contains(s.GetProperty("number").GetString()!, StringComparison.Ordinal), "the texter's session");
        var story = await text.StoryAsync(id);
        Assert.Contains(story, e => e.Kind == "text.opened");
        Assert.Contains(story, e => e.Kind == "text.in" && e.Detail.Contains(texter.Messages[0], StringComparison.Ordinal));
    }
}
