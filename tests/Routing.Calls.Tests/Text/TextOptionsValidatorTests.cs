using Routing.Calls.Routing;
using Routing.Calls.Text;

namespace Routing.Calls.Tests.Text;

public sealed class TextOptionsValidatorTests
{
    private static TextOptions Valid() => new()
    {
        From = "\"112\" <sip:112@psap.example>",
        Gateways = { ["app"] = new TextGatewayOptions { Endpoint = "PJSIP/appgw", Language = "ru" } },
        Agencies = { ["police"] = new AgencyTextOptions { To = "pjsip:police-text" } },
        FallbackAgency = "police",
    };

    [Fact]
    public void A_valid_section_has_no_errors_and_an_empty_one_is_off()
    {
        Assert.Empty(TextOptionsValidator.Validate(Valid(), new RoutingOptions { Agencies = { ["police"] = new AgencyOptions() } }));
        Assert.Empty(TextOptionsValidator.Validate(new TextOptions()));
    }

    [Fact]
    public void Every_error_names_its_key()
    {
        var text = Valid();
        text.From = "112";
        text.Gateways["bad"] = new TextGatewayOptions { Endpoint = "SIP/x y", Language = "Russian!", Entry = CallEntry.Direct, ReplyTo = "sip:{number}" };
        text.Agencies["ufo"] = new AgencyTextOptions { To = "ufo" };
        text.FallbackAgency = "army";
        text.FloodLimit = 0;

        var errors = TextOptionsValidator.Validate(text, new RoutingOptions { Agencies = { ["police"] = new AgencyOptions() } });

        Assert.Contains(errors, e => e.StartsWith("Text:From", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Text:Gateways:bad:Endpoint", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Text:Gateways:bad:Language", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Text:Gateways:bad:Entry", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Text:Gateways:bad:ReplyTo", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "Text:Agencies:ufo is not a configured agency (Routing:Agencies)");
        Assert.Contains(errors, e => e.StartsWith("Text:Agencies:ufo:To", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Text:FallbackAgency 'army'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Text:FloodLimit", StringComparison.Ordinal));
    }
}
