namespace Routing.Checks.Tests;

/// <summary>Issue 10: Asterisk 23.4.1 segfaults on the first GEOLOC_PROFILE read of a malformed PIDF-LO
/// (turn2 asterisk-crash-geolocation.txt). check-config refuses every way the shipped configuration could make
/// Asterisk parse a caller's PIDF-LO.</summary>
public sealed class GeolocationConfigTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    private string Modules => _copy.Dialplan("modules.conf");

    [Fact]
    public void The_shipped_configuration_keeps_res_geolocation_out_and_never_reads_GEOLOC_PROFILE()
    {
        var findings = _copy.Check();
        Assert.DoesNotContain(findings, f => f.Message.Contains("geoloc", StringComparison.OrdinalIgnoreCase) || f.Message.Contains("GEOLOC", StringComparison.Ordinal));
        Assert.Contains("noload = res_geolocation.so", File.ReadAllText(Modules), StringComparison.Ordinal);
        Assert.Contains("noload = res_pjsip_geolocation.so", File.ReadAllText(Modules), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("res_geolocation.so")]
    [InlineData("res_pjsip_geolocation.so")]
    public void Autoloading_a_geolocation_module_is_refused_with_the_crash_as_reason(string module)
    {
        _copy.Replace(Modules, $"noload = {module}\n", "");

        var error = _copy.Check().HasError(Modules, ConfigCopy.LineOf(Modules, "[modules]"), $"autoload = yes loads {module}: ");
        Assert.Contains("crash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_res_geolocation_explicitly_is_refused_on_its_line()
    {
        _copy.Replace(Modules, "noload = res_geolocation.so\n", "load = res_geolocation.so\n");

        _copy.Check().HasError(Modules, ConfigCopy.LineOf(Modules, "load = res_geolocation.so"), "load = res_geolocation.so: must not load: Asterisk 23.4.1 crashes");
    }

    [Fact]
    public void A_geolocation_profile_on_a_caller_endpoint_is_refused()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "[pstn](caller-endpoint)\ncontext = from-pstn\n", "[pstn](caller-endpoint)\ncontext = from-pstn\ngeoloc_incoming_call_profile = geo-incoming\n");

        _copy.Check().HasError(pjsip, ConfigCopy.LineOf(pjsip, "geoloc_incoming_call_profile = geo-incoming"),
            "[pstn] geoloc_incoming_call_profile = geo-incoming: makes Asterisk parse the caller's PIDF-LO");
    }

    [Fact]
    public void Reading_GEOLOC_PROFILE_in_the_dialplan_is_refused()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "exten => 112,1,NoOp(112 from ${CALLERID(num)} on ${CHANNEL})\n", "exten => 112,1,NoOp(112 from ${CALLERID(num)} at ${GEOLOC_PROFILE(location_info)})\n");

        _copy.Check().HasError(extensions, ConfigCopy.LineOf(extensions, "GEOLOC_PROFILE(location_info)"), "[from-pstn] uses GEOLOC_PROFILE: Asterisk 23.4.1 crashes");
    }

    [Fact]
    public void A_trunk_that_takes_PIDF_LO_without_a_location_reference_base_URL_is_refused_on_its_line()
    {
        _copy.Replace(_copy.AppSettings, "\"Endpoint\": \"PJSIP/police-almaty-1\",\n", "\"Endpoint\": \"PJSIP/police-almaty-1\",\n              \"TakesPidfLo\": true,\n");

        _copy.Check().HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"TakesPidfLo\": true"),
            "Routing:Regions:almaty:Trunks:police:0:TakesPidfLo is true (police-almaty-1) but LocationReference:BaseUrl is empty");
    }

    [Fact]
    public void A_trunk_that_takes_PIDF_LO_with_a_base_URL_is_accepted()
    {
        _copy.Replace(_copy.AppSettings, "\"Endpoint\": \"PJSIP/police-almaty-1\",\n", "\"Endpoint\": \"PJSIP/police-almaty-1\",\n              \"TakesPidfLo\": true,\n");
        _copy.Replace(_copy.AppSettings, "  \"Routing\": {\n", "  \"LocationReference\": { \"BaseUrl\": \"https://112-location.example.kz\" },\n  \"Routing\": {\n");

        Assert.DoesNotContain(_copy.Check(), f => f.Message.Contains("TakesPidfLo", StringComparison.Ordinal));
    }
}
