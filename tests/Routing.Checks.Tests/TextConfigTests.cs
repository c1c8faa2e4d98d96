namespace Routing.Checks.Tests;

/// <summary>Text gateways (Text in appsettings.json) against pjsip.conf and extensions.conf, in a copy of the shipped
/// files with a gateway and an agency desk added, then broken one way at a time.</summary>
public sealed class TextConfigTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public TextConfigTests()
    {
        _copy.Replace(_copy.AppSettings, "{", """
            {
              "Text": {
                "From": "\"112\" <sip:112@psap.example>",
                "Gateways": { "app": { "Endpoint": "PJSIP/appgw" } },
                "Agencies": { "police": { "To": "pjsip:police-text" } },
                "FallbackAgency": "police"
              },
            """);
        File.AppendAllText(_copy.Dialplan("pjsip.conf.in"), "\n[appgw]\ntype = endpoint\ncontext = app-text-calls\nmessage_context = messages\n\n[police-text]\ntype = endpoint\ncontext = from-agency\n");
        File.AppendAllText(_copy.Dialplan("extensions.conf"), "\n[messages]\nexten => _X.,1,NoOp(MESSAGE from ${MESSAGE(from)})\n same => n,Hangup()\n\n[app-text-calls]\nexten => _X.,1,Hangup(21)\n");
    }

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void A_well_configured_gateway_gives_no_text_finding()
    {
        var findings = _copy.Check();
        // Other checks have their say about the two bare endpoints added here; none of it is about text.
        Assert.DoesNotContain(findings, f => f.Message.Contains("Text:", StringComparison.Ordinal) || f.Message.Contains("message_context", StringComparison.Ordinal)
            || f.Message.Contains("text gateway", StringComparison.Ordinal) || f.Message.Contains("MESSAGE", StringComparison.Ordinal));
    }

    [Fact]
    public void A_gateway_without_message_context_is_an_error_on_its_endpoint()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "message_context = messages\n", "");
        _copy.Check().HasError(pjsip, ConfigCopy.LineOf(pjsip, "[appgw]"), "endpoint [appgw] (text gateway app) has no message_context");
    }

    [Fact]
    public void A_message_context_the_dialplan_lacks_is_an_error()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "message_context = messages", "message_context = sms-in");
        _copy.Check().HasError(pjsip, ConfigCopy.LineOf(pjsip, "[appgw]"), "message_context = sms-in, which extensions.conf does not define");
    }

    [Fact]
    public void A_gateway_or_agency_desk_missing_from_pjsip_conf_is_an_error_on_its_key()
    {
        _copy.Replace(_copy.AppSettings, "PJSIP/appgw", "PJSIP/appgw2");
        _copy.Replace(_copy.AppSettings, "pjsip:police-text", "pjsip:police-sms");
        var findings = _copy.Check();
        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "PJSIP/appgw2"), "Text:Gateways:app:Endpoint 'PJSIP/appgw2': no endpoint [appgw2]");
        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "pjsip:police-sms"), "Text:Agencies:police:To 'pjsip:police-sms': no endpoint [police-sms]");
    }

    [Fact]
    public void A_gateway_whose_calls_also_enter_Stasis_is_warned_about_doubled_events()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "context = app-text-calls", "context = from-app");
        var findings = _copy.Check();
        Assert.Contains(findings, f => f.Severity == Severity.Warning && f.Message.Contains("every event of its calls reaches the engine twice", StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_text_rule_is_reported_on_the_key_it_names()
    {
        _copy.Replace(_copy.AppSettings, "\"FallbackAgency\": \"police\"", "\"FallbackAgency\": \"army\"");
        _copy.Check().HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"FallbackAgency\": \"army\""), "Text:FallbackAgency 'army'");
    }
}
