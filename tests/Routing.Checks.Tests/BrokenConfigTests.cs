using System.Buffers.Binary;

namespace Routing.Checks.Tests;

/// <summary>Each test breaks one thing in a copy of the shipped files and pins the error down:
/// the file, the line to fix, and what the message says.</summary>
public sealed class BrokenConfigTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void A_trunk_without_a_pjsip_endpoint_is_reported_on_its_appsettings_line()
    {
        _copy.Replace(_copy.Dialplan("pjsip.conf.in"), "[police-astana-2](agency-endpoint)", "[police-astana-9](agency-endpoint)");

        var findings = _copy.Check();

        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"PJSIP/police-astana-2\""),
            "Routing:Regions:astana:Trunks:police:1:Endpoint 'PJSIP/police-astana-2': no endpoint [police-astana-2]");
    }

    [Fact]
    public void A_fallback_dial_to_a_missing_endpoint_is_reported_on_the_dial_line()
    {
        _copy.Replace(_copy.Dialplan("pjsip.conf.in"), "[gas-national](agency-endpoint)", "[gas-nationwide](agency-endpoint)");
        var extensions = _copy.Dialplan("extensions.conf");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "Dial(PJSIP/${agency}-national"),
            "[sub-fallback] dials PJSIP/gas-national, but there is no endpoint [gas-national]");
    }

    [Fact]
    public void A_stasis_app_name_other_than_the_engines_is_reported_on_the_stasis_line()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "Stasis(routing112,112)", "Stasis(routing-112,112)");

        var findings = _copy.Check();

        var error = findings.HasError(extensions, ConfigCopy.LineOf(extensions, "Stasis(routing-112,112)"),
            "Stasis(routing-112) but Asterisk:Ari:Application is 'routing112'");
        Assert.Contains(":" + ConfigCopy.LineOf(_copy.AppSettings, "\"Application\""), error.Message);
    }

    [Fact]
    public void A_number_without_a_fallback_branch_is_reported_on_its_stasis_line()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions,
            "Stasis(routing112,direct,police)\n same => n,GotoIf($[\"${STASISSTATUS}\" = \"FAILED\" | \"${ROUTING112_FAILOVER}\" = \"1\"]?fallback)\n",
            "Stasis(routing112,direct,police)\n");

        var findings = _copy.Check();

        var line = ConfigCopy.LineOf(extensions, "Stasis(routing112,direct,police)");
        findings.HasError(extensions, line, "extension 102 of [from-pstn] (dialled 102): no fallback: nothing checks STASISSTATUS = \"FAILED\"");
        findings.HasError(extensions, line, "nothing checks ROUTING112_FAILOVER after Stasis()");
    }

    [Fact]
    public void A_stasis_extension_without_the_fallback_label_is_reported_on_its_stasis_line()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, " same => n(fallback),Gosub(sub-fallback,s,1(ambulance))", " same => n,Gosub(sub-fallback,s,1(ambulance))");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "Stasis(routing112,direct,ambulance)"),
            "extension 103 of [from-pstn] runs Stasis() but has no n(fallback) label");
    }

    [Fact]
    public void A_fallback_label_that_is_not_the_fallback_is_reported_on_its_line()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, " same => n(fallback),Gosub(sub-fallback,s,1(gas))", " same => n(fallback),Hangup()");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, " same => n(fallback),Hangup()"),
            "extension 104 of [from-pstn]: n(fallback) runs Hangup(), not the fallback Gosub() or Dial()");
    }

    [Fact]
    public void A_caller_context_missing_a_number_is_reported_on_the_context()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "exten => 104,1,NoOp(app 104", "exten => 105,1,NoOp(app 104");
        _copy.Replace(extensions, "exten => _X!,1,NoOp(app caller", "exten => _0!,1,NoOp(app caller");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "[from-app]"),
            "[from-app] (context of endpoint [app-gateway]) has no extension for 104");
    }

    [Fact]
    public void A_legacy_number_left_to_the_catch_all_is_reported_for_its_wrong_fallback()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "exten => 104,1,NoOp(app 104", "exten => 105,1,NoOp(app 104");

        var findings = _copy.Check();

        var catchAll = ConfigCopy.LineOf(extensions, "exten => _X!,1,NoOp(app caller");
        var fallback = catchAll + File.ReadAllLines(extensions).Skip(catchAll).TakeWhile(l => !l.Contains("n(fallback)", StringComparison.Ordinal)).Count() + 1;
        findings.HasError(extensions, fallback, "extension _X! of [from-app] (dialled 104): the fallback goes to 'operator', but 104 is gas");
    }

    [Fact]
    public void A_legacy_number_entering_as_another_agency_is_reported()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "Stasis(routing112,direct,gas)", "Stasis(routing112,direct,fire)");

        var findings = _copy.Check();

        findings.HasError(extensions, FirstLineAfter(extensions, "exten => 104,1", "Stasis("),
            "104 is gas, but the call enters the engine as direct,fire");
    }

    [Fact]
    public void An_agency_trunk_whose_context_routes_calls_is_reported_on_its_context_line()
    {
        var pjsip = _copy.Dialplan("pjsip.conf.in");
        _copy.Replace(pjsip, "context = from-agency", "context = from-pstn");

        var findings = _copy.Check();

        findings.HasError(pjsip, ConfigCopy.LineOf(pjsip, "context = from-pstn"),
            "endpoint [calltakers-1] is a routing trunk, but its context [from-pstn] routes calls");
    }

    [Fact]
    public void A_region_prefix_missing_from_the_dialplan_region_map_is_reported()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, " same => n,ExecIf($[\"${n:0:4}\" = \"8725\"]?Return(shymkent))\n", "");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "[sub-caller-region]"),
            "has no line for prefix '8725' of region shymkent");
    }

    [Fact]
    public void A_region_prefix_mapped_to_the_wrong_region_is_reported_on_its_line()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "\"+7717\"]?Return(astana)", "\"+7717\"]?Return(almaty)");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "\"+7717\"]?Return(almaty)"),
            "maps prefix '+7717' to almaty, but Routing:Regions:astana:CallerPrefixes has it");
    }

    [Fact]
    public void A_fallback_default_region_other_than_the_routing_default_is_reported()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "FALLBACK_DEFAULT_REGION = almaty", "FALLBACK_DEFAULT_REGION = astana");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "FALLBACK_DEFAULT_REGION = astana"),
            "FALLBACK_DEFAULT_REGION is 'astana', but Routing:DefaultRegion is 'almaty'");
    }

    [Fact]
    public void Ami_bound_to_every_interface_is_reported_on_the_bindaddr_line()
    {
        var manager = _copy.Dialplan("manager.conf.in");
        _copy.Replace(manager, "bindaddr = 127.0.0.1", "bindaddr = 0.0.0.0");

        var findings = _copy.Check();

        findings.HasError(manager, ConfigCopy.LineOf(manager, "bindaddr = 0.0.0.0"), "AMI binds 0.0.0.0: it must listen on loopback only");
    }

    [Fact]
    public void Ami_without_a_bindaddr_listens_everywhere_and_is_reported()
    {
        var manager = _copy.Dialplan("manager.conf.in");
        _copy.Replace(manager, "bindaddr = 127.0.0.1\n", "");

        var findings = _copy.Check();

        findings.HasError(manager, ConfigCopy.LineOf(manager, "[general]"), "AMI has no bindaddr");
    }

    [Fact]
    public void An_ami_port_other_than_the_engines_is_reported_on_the_port_line()
    {
        _copy.Replace(_copy.AppSettings, "\"Port\": 5038", "\"Port\": 5039");
        var manager = _copy.Dialplan("manager.conf.in");

        var findings = _copy.Check();

        var error = findings.HasError(manager, ConfigCopy.LineOf(manager, "port = 5038"), "AMI listens on port 5038, but the engine connects to Asterisk:Ami:Port 5039");
        Assert.Contains(":" + ConfigCopy.LineOf(_copy.AppSettings, "\"Port\": 5039"), error.Message);
    }

    [Fact]
    public void Http_bound_to_every_interface_is_reported()
    {
        var http = _copy.Dialplan("http.conf");
        _copy.Replace(http, "bindaddr = 127.0.0.1", "bindaddr = 0.0.0.0");

        var findings = _copy.Check();

        findings.HasError(http, ConfigCopy.LineOf(http, "bindaddr = 0.0.0.0"), "the HTTP server (ARI) binds 0.0.0.0");
    }

    [Fact]
    public void The_stock_thousand_port_rtp_range_is_reported_as_too_small()
    {
        var rtp = _copy.Dialplan("rtp.conf");
        _copy.Replace(rtp, "rtpend = 30000", "rtpend = 10999");

        var findings = _copy.Check();

        findings.HasError(rtp, ConfigCopy.LineOf(rtp, "rtpend = 10999"), "RTP range 10000-10999 has 1000 ports = 250 concurrent two-leg calls");
    }

    [Fact]
    public void A_missing_ari_user_is_reported()
    {
        var ari = _copy.Dialplan("ari.conf.in");
        _copy.Replace(ari, "[routing]", "[engine]");

        var findings = _copy.Check();

        findings.HasError(ari, 0, "no [routing] section with type = user");
    }

    [Fact]
    public void A_missing_prompt_audio_file_is_reported()
    {
        var audio = Path.Combine(_copy.Prompts, "audio", "kk", "still-trying.wav");
        File.Delete(audio);

        var findings = _copy.Check();

        findings.HasError(audio, 0, "missing prompt audio: 'still-trying' in kk");
    }

    [Fact]
    public void A_missing_prompt_text_is_reported()
    {
        var text = Path.Combine(_copy.Prompts, "ru", "greeting.txt");
        File.Delete(text);

        var findings = _copy.Check();

        findings.HasError(text, 0, "missing prompt text: 'greeting' in ru");
    }

    [Fact]
    public void Prompt_audio_at_the_wrong_sample_rate_is_reported()
    {
        var audio = Path.Combine(_copy.Prompts, "audio", "en", "connecting.wav");
        var bytes = File.ReadAllBytes(audio);
        // Canonical 44-byte header: sample rate at byte 24, byte rate at 28.
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), 16000);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), 32000);
        File.WriteAllBytes(audio, bytes);

        var findings = _copy.Check();

        findings.HasError(audio, 0, "prompt audio 'connecting' in en: 16000 Hz is not 8000 Hz");
    }

    [Fact]
    public void A_language_menu_that_does_not_offer_every_language_is_reported()
    {
        var menu = Path.Combine(_copy.Prompts, "ru", "language-menu.txt");
        _copy.Replace(menu, "en: For English, press three.\n", "");

        var findings = _copy.Check();

        findings.HasError(menu, 0, "the language menu does not offer en");
    }

    [Fact]
    public void Invalid_json_is_reported_on_its_line()
    {
        _copy.Replace(_copy.AppSettings, "\"DefaultRegion\": \"almaty\",", "\"DefaultRegion\": \"almaty\",,");

        var findings = _copy.Check();

        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"DefaultRegion\": \"almaty\",,"), "not valid JSON");
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_reported_on_its_key()
    {
        _copy.Replace(_copy.AppSettings, "\"RingTimeout\": \"00:00:25\"", "\"RingTimeout\": \"soon\"");

        var findings = _copy.Check();

        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"RingTimeout\": \"soon\""),
            "Routing:Regions:almaty:Trunks:police:1:RingTimeout");
    }

    [Fact]
    public void A_routing_rule_broken_in_appsettings_is_reported_on_the_key_it_names()
    {
        _copy.Replace(_copy.AppSettings, "\"OverflowTo\": \"astana\"", "\"OverflowTo\": \"nowhere\"");

        var findings = _copy.Check();

        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"OverflowTo\": \"nowhere\""),
            "Routing:Regions:almaty:OverflowTo 'nowhere' is not a configured region");
    }

    [Fact]
    public void A_prompt_base_other_than_the_installed_one_is_reported()
    {
        _copy.Replace(_copy.AppSettings, "\"PromptBase\": \"112\"", "\"PromptBase\": \"emergency\"");

        var findings = _copy.Check();

        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "\"PromptBase\""), "installs prompts under <sounds>/112/");
    }

    [Fact]
    public void A_missing_appsettings_file_is_one_error_and_the_asterisk_files_are_still_checked()
    {
        File.Delete(_copy.AppSettings);
        var manager = _copy.Dialplan("manager.conf.in");
        _copy.Replace(manager, "bindaddr = 127.0.0.1", "bindaddr = 0.0.0.0");

        var findings = _copy.Check();

        findings.HasError(_copy.AppSettings, 0, "cannot read the routing configuration");
        findings.HasError(manager, ConfigCopy.LineOf(manager, "bindaddr = 0.0.0.0"), "AMI binds 0.0.0.0");
    }

    [Fact]
    public void An_appsettings_without_asterisk_settings_is_checked_against_the_contract_defaults()
    {
        _copy.Replace(_copy.AppSettings, "\"Application\": \"routing112\",", "");

        var findings = _copy.Check();

        var warning = Assert.Single(findings);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("Asterisk:Ari:Application is not set; Asterisk's files are checked against 'routing112'", warning.Message);
    }

    [Fact]
    public void Findings_print_as_file_line_error_message()
    {
        var finding = new CheckFinding(Severity.Error, "dialplans/manager.conf.in", 12, "AMI binds 0.0.0.0");

        Assert.Equal("dialplans/manager.conf.in:12: error: AMI binds 0.0.0.0", finding.ToString());
        Assert.Equal("x.wav: warning: odd", new CheckFinding(Severity.Warning, "x.wav", 0, "odd").ToString());
    }

    private static int FirstLineAfter(string path, string start, string text)
    {
        var lines = File.ReadAllLines(path);
        var from = Array.FindIndex(lines, l => l.Contains(start, StringComparison.Ordinal));
        var index = Array.FindIndex(lines, from, l => l.Contains(text, StringComparison.Ordinal));
        return index + 1;
    }
}
