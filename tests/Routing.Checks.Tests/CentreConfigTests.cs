namespace Routing.Checks.Tests;

/// <summary>The call-taker positions (Centre in appsettings.json) against pjsip.conf: each broken in a copy
/// of the shipped files, with the file, line and message the check gives.</summary>
public sealed class CentreConfigTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void A_position_without_a_pjsip_endpoint_is_an_error_on_its_appsettings_line()
    {
        _copy.Replace(_copy.Dialplan("pjsip.conf.in"), "[calltaker-3](calltaker-endpoint)", "[calltaker-33](calltaker-endpoint)");

        var findings = _copy.Check();

        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"PJSIP/calltaker-3\""),
            "Centre:Positions:calltaker-3:Endpoint 'PJSIP/calltaker-3': no endpoint [calltaker-3] (type = endpoint) in");
    }

    [Fact]
    public void A_position_endpoint_without_auth_is_an_error_on_the_endpoint()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "auth = calltaker-5\n", "");

        var findings = _copy.Check();

        findings.HasError(pjsip, ConfigCopy.LineOf(pjsip, "[calltaker-5](calltaker-endpoint)"),
            "endpoint [calltaker-5] of position calltaker-5 has no auth");
    }

    [Fact]
    public void A_position_whose_aor_takes_no_registration_is_an_error()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "max_contacts = 1\n", "");

        var findings = _copy.Check();

        findings.HasError(pjsip, ConfigCopy.LineOf(pjsip, "[calltaker-1](calltaker-endpoint)"),
            "endpoint [calltaker-1] of position calltaker-1 has no aor with max_contacts");
    }

    [Fact]
    public void A_broken_centre_rule_is_reported_on_the_key_it_names()
    {
        _copy.Replace(_copy.AppSettings, "\"Group\": \"astana\"", "\"Group\": \"aktobe\"");

        var findings = _copy.Check();

        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"Group\": \"aktobe\""),
            "Centre:Positions:calltaker-4:Group 'aktobe' is not a configured group");
    }

    [Fact]
    public void A_centre_value_that_does_not_bind_is_reported_with_its_key()
    {
        _copy.Replace(_copy.AppSettings, "\"Strategy\": \"RingAll\"", "\"Strategy\": \"Random\"");

        var findings = _copy.Check();

        Assert.Contains(findings, f => f.Severity == Severity.Error && f.File == _copy.AppSettings && f.Message.StartsWith("Centre:Groups:shymkent:Strategy", StringComparison.Ordinal));
    }

    [Fact]
    public void Call_taker_devices_are_not_callers_their_context_need_not_route_112()
    {
        var findings = _copy.Check();

        Assert.DoesNotContain(findings, f => f.Message.Contains("from-calltaker", StringComparison.Ordinal));
    }
}
