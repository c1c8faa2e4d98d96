namespace Routing.Checks.Tests;

/// <summary>Text callers as shipped (Text in appsettings.json: gateway PJSIP/app-messages and the agencies' text desks;
/// pjsip.conf.in's message endpoints; extensions.conf's [messages-app]) against each other, in a copy of the shipped
/// files broken one way at a time.</summary>
public sealed class TextConfigTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    private static bool IsAboutText(CheckFinding f) =>
        f.Message.Contains("Text:", StringComparison.Ordinal) || f.Message.Contains("message_context", StringComparison.Ordinal)
        || f.Message.Contains("text gateway", StringComparison.Ordinal) || f.Message.Contains("MESSAGE", StringComparison.Ordinal);

    [Fact]
    public void The_shipped_text_gateway_and_desks_give_no_text_finding()
    {
        Assert.DoesNotContain(_copy.Check(), IsAboutText);
    }

    [Fact]
    public void A_gateway_without_message_context_is_an_error_on_its_endpoint()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "message_context = messages-app\n", "");
        _copy.Check().HasError(pjsip, ConfigCopy.LineOf(pjsip, "[app-messages](message-endpoint)"), "endpoint [app-messages] (text gateway app) has no message_context");
    }

    [Fact]
    public void A_message_context_the_dialplan_lacks_is_an_error()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "message_context = messages-app", "message_context = sms-in");
        _copy.Check().HasError(pjsip, ConfigCopy.LineOf(pjsip, "[app-messages](message-endpoint)"), "message_context = sms-in, which extensions.conf does not define");
    }

    [Fact]
    public void A_gateway_or_agency_desk_missing_from_pjsip_conf_is_an_error_on_its_key()
    {
        _copy.Replace(_copy.AppSettings, "PJSIP/app-messages", "PJSIP/appgw2");
        _copy.Replace(_copy.AppSettings, "pjsip:police-text", "pjsip:police-sms");
        var findings = _copy.Check();
        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "PJSIP/appgw2"), "Text:Gateways:app:Endpoint 'PJSIP/appgw2': no endpoint [appgw2]");
        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "pjsip:police-sms"), "Text:Agencies:police:To 'pjsip:police-sms': no endpoint [police-sms]");
    }

    [Fact]
    public void A_message_endpoint_the_engine_does_not_subscribe_to_is_an_error_on_its_message_context()
    {
        // The gateway renamed in appsettings.json only: pjsip.conf still takes MESSAGE on [app-messages], which nobody reads.
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        File.AppendAllText(pjsip, "\n[sms-in](message-endpoint)\n");
        var findings = _copy.Check();
        findings.HasError(pjsip, ConfigCopy.LineOf(pjsip, "message_context = messages-app"),
            "endpoint [sms-in] takes MESSAGE (message_context = messages-app) but is no text gateway or agency desk");
    }

    [Fact]
    public void Message_endpoints_in_pjsip_conf_with_text_off_in_appsettings_are_errors()
    {
        // Text off: no gateway at all.
        _copy.Replace(_copy.AppSettings, "\"Gateways\": {\n      \"app\": {\n        \"Endpoint\": \"PJSIP/app-messages\",\n        \"Entry\": \"App\"\n      }\n    },", "\"Gateways\": {},");
        var findings = _copy.Check();
        Assert.Contains(findings, f => f.Severity == Severity.Error && f.Message.StartsWith("endpoint [app-messages] takes MESSAGE", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Severity == Severity.Error && f.Message.StartsWith("endpoint [police-text] takes MESSAGE", StringComparison.Ordinal));
    }

    [Fact]
    public void A_message_context_that_runs_Stasis_is_an_error_on_that_line()
    {
        var dialplan = _copy.Dialplan("extensions.conf");
        _copy.Replace(dialplan, "exten => text,1,NoOp(MESSAGE for the engine", "exten => text,1,Stasis(routing112,app)\n same => n,NoOp(MESSAGE for the engine");
        _copy.Check().HasError(dialplan, ConfigCopy.LineOf(dialplan, "exten => text,1,Stasis(routing112,app)"), "[messages-app] is the message_context of endpoint [app-messages] and runs Stasis()");
    }

    [Fact]
    public void A_text_endpoint_identified_by_the_calls_address_is_an_error_on_its_match()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "match = ${APP_GATEWAY_TEXT_HOST}", "match = ${APP_GATEWAY_HOST}");
        _copy.Check().HasError(pjsip, ConfigCopy.LineOf(pjsip, "endpoint = app-messages") + 1, "endpoint [app-messages] (text) is identified by match = ${APP_GATEWAY_HOST}, as [app-gateway] is");
    }

    [Fact]
    public void A_gateway_whose_calls_also_enter_Stasis_is_warned_about_doubled_events()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "[app-messages](message-endpoint)\naors = app-messages\n", "[app-messages](message-endpoint)\naors = app-messages\ncontext = from-app\n");
        var findings = _copy.Check();
        Assert.Contains(findings, f => f.Severity == Severity.Warning && f.Message.Contains("every event of its calls reaches the engine twice", StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_text_rule_is_reported_on_the_key_it_names()
    {
        _copy.Replace(_copy.AppSettings, "\"FallbackAgency\": \"police\"", "\"FallbackAgency\": \"army\"");
        _copy.Check().HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"FallbackAgency\": \"army\""), "Text:FallbackAgency 'army'");
    }

    [Fact]
    public void A_gateway_context_that_ignores_the_engines_heartbeat_is_an_error_its_texts_would_go_unread_while_the_engine_is_away()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, " same => n,Set(TEXT_BEAT=${FILTER(0-9,${GLOBAL(ROUTING112_TEXT_HEARTBEAT)})})\n", " same => n,Set(TEXT_BEAT=0)\n");

        _copy.Check().HasError(extensions, ConfigCopy.LineOf(extensions, "exten => _X!,1,Goto(messages-app,text,1)") - 1, "[messages-app] (a text gateway's message_context) never reads ${GLOBAL(ROUTING112_TEXT_HEARTBEAT)}");
    }

    [Fact]
    public void A_stale_limit_within_two_heartbeats_is_an_error_on_the_global()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "TEXT_HEARTBEAT_STALE = 3\n", "TEXT_HEARTBEAT_STALE = 2\n");

        _copy.Check().HasError(extensions, ConfigCopy.LineOf(extensions, "TEXT_HEARTBEAT_STALE = 2"), "TEXT_HEARTBEAT_STALE = 2 is not more than twice Text:HeartbeatInterval (1 s");
    }

    [Fact]
    public void A_stale_limit_of_more_than_a_few_seconds_is_warned_about_texts_after_a_crash_go_unread_that_long()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "TEXT_HEARTBEAT_STALE = 3\n", "TEXT_HEARTBEAT_STALE = 15\n");

        var finding = Assert.Single(_copy.Check(), f => f.Message.StartsWith("TEXT_HEARTBEAT_STALE = 15:", StringComparison.Ordinal));
        Assert.Equal(ConfigCopy.LineOf(extensions, "TEXT_HEARTBEAT_STALE = 15"), finding.Line);
        Assert.Contains("after an engine crash", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fallback_desk_or_sender_other_than_the_engines_is_an_error()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "TEXT_FALLBACK_DESK = pjsip:police-text\n", "TEXT_FALLBACK_DESK = pjsip:fire-text\n");
        _copy.Replace(extensions, "TEXT_FALLBACK_LANGUAGE = ru\n", "TEXT_FALLBACK_LANGUAGE = de\n");

        var findings = _copy.Check();
        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "TEXT_FALLBACK_DESK = pjsip:fire-text"), "[globals] TEXT_FALLBACK_DESK is 'pjsip:fire-text' but Text:Agencies:police:To (the fallback agency's desk) is 'pjsip:police-text'");
        Assert.Contains(findings, f => f.Message.StartsWith("[globals] has no TEXT_FALLBACK_REPLY_de for TEXT_FALLBACK_LANGUAGE = 'de'", StringComparison.Ordinal));
    }
}
