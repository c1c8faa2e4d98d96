namespace Routing.Checks.Tests;

/// <summary>Callbacks:DialString, the outbound route of a call back, against pjsip.conf and extensions.conf.</summary>
public sealed class CallbackConfigTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void The_shipped_callback_route_exists()
    {
        Assert.DoesNotContain(_copy.Check(), f => f.Message.Contains("Callbacks:DialString", StringComparison.Ordinal));
    }

    [Fact]
    public void A_callback_endpoint_missing_from_pjsip_is_an_error_on_its_appsettings_line()
    {
        _copy.Replace(_copy.Dialplan("pjsip.conf.in"), "[pstn-callback](agency-endpoint)", "[pstn-callbacks](agency-endpoint)");

        _copy.Check().HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"DialString\""),
            "Callbacks:DialString 'PJSIP/{number}@pstn-callback': no endpoint [pstn-callback] (type = endpoint) in");
    }

    [Fact]
    public void A_local_callback_route_needs_its_dialplan_context()
    {
        _copy.Replace(_copy.AppSettings, "PJSIP/{number}@pstn-callback", "Local/{number}@callback-out");

        _copy.Check().HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"DialString\""),
            "Callbacks:DialString 'Local/{number}@callback-out': no context [callback-out] in");
    }

    [Fact]
    public void A_dial_string_without_the_number_is_an_error()
    {
        _copy.Replace(_copy.AppSettings, "PJSIP/{number}@pstn-callback", "PJSIP/pstn-callback");

        _copy.Check().HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"DialString\""),
            "Callbacks:DialString 'PJSIP/pstn-callback' must be one Asterisk dial string with {number}");
    }
}
