using Routing.Checks.Checks;

namespace Routing.Checks.Tests;

/// <summary>Defect 1 of issue 6: after the bridge, Asterisk re-INVITEd agencies with the caller's own
/// (possibly hostile) name and number. check-config refuses any configuration that would let it.</summary>
public sealed class CallerIdentityTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    private string Pjsip => _copy.Dialplan("pjsip.conf.in");

    private string Extensions => _copy.Dialplan("extensions.conf");

    [Fact]
    public void An_agency_template_that_passes_connected_line_updates_is_reported_once_on_the_template()
    {
        _copy.Replace(Pjsip, "Never send connected-line updates.\nsend_connected_line = no\n", "Never send connected-line updates.\n");

        var findings = _copy.Check();

        var line = ConfigCopy.LineOf(Pjsip, "[agency-endpoint](!,emergency-endpoint,video-endpoint)");
        findings.HasError(Pjsip, line, "template [agency-endpoint]");
        Assert.Single(findings, f => f.Message.Contains("send_connected_line is not set", StringComparison.Ordinal)
            && f.Message.Contains("re-INVITE/UPDATE this agency", StringComparison.Ordinal));
    }

    [Fact]
    public void One_agency_endpoint_that_turns_connected_line_updates_back_on_is_reported_on_its_line()
    {
        _copy.Replace(Pjsip, "[police-astana-1](agency-endpoint)\n", "[police-astana-1](agency-endpoint)\nsend_connected_line = yes ; for the test\n");

        var findings = _copy.Check();

        findings.HasError(Pjsip, ConfigCopy.LineOf(Pjsip, "send_connected_line = yes ; for the test"),
            "endpoint [police-astana-1]: send_connected_line = yes: once the caller is bridged");
    }

    [Fact]
    public void A_caller_endpoint_that_trusts_connected_line_updates_is_reported()
    {
        _copy.Replace(Pjsip, "[pstn](caller-endpoint)\n", "[pstn](caller-endpoint)\ntrust_connected_line = yes\n");

        var findings = _copy.Check();

        findings.HasError(Pjsip, ConfigCopy.LineOf(Pjsip, "trust_connected_line = yes"),
            "endpoint [pstn]: trust_connected_line = yes: a caller's re-INVITE/UPDATE could replace its identity");
    }

    [Fact]
    public void A_fallback_dial_that_presents_the_callers_own_identity_is_reported_on_its_line()
    {
        var national = ConfigCopy.LineOf(Extensions, "Dial(PJSIP/${agency}-national");
        var text = File.ReadAllLines(Extensions);
        text[national - 1] = " same => n,Dial(PJSIP/${agency}-national,${FALLBACK_RING_NATIONAL})";
        File.WriteAllLines(Extensions, text);

        var findings = _copy.Check();

        findings.HasError(Extensions, national, "[sub-fallback] Dial() without f(<name> <number>): the agency would be sent the caller's own name and number");
        findings.HasError(Extensions, national, "[sub-fallback] Dial() without option I");
    }

    [Fact]
    public void An_agency_template_that_lets_Asterisk_send_the_bridges_identity_is_reported_on_its_line()
    {
        // video-blind-identity on 23.4.1: with send_pai = yes res_pjsip built each re-INVITE's P-Asserted-Identity
        // from the agency channel's connected line, which the two-party bridge had set to the caller's own id.
        _copy.Replace(Pjsip, "send_pai = no\n", "send_pai = yes\n");

        var findings = _copy.Check();

        findings.HasError(Pjsip, ConfigCopy.LineOf(Pjsip, "send_pai = yes"),
            "send_pai = yes: Asterisk would build the P-Asserted-Identity of every INVITE from the channel's connected line");
    }

    [Fact]
    public void A_fallback_dial_without_the_handler_that_adds_the_asserted_identity_is_reported_on_its_line()
    {
        var national = ConfigCopy.LineOf(Extensions, "Dial(PJSIP/${agency}-national");
        var text = File.ReadAllLines(Extensions);
        text[national - 1] = " same => n,Dial(PJSIP/${agency}-national,${FALLBACK_RING_NATIONAL},If(112 ${cid} <${cid}>))";
        File.WriteAllLines(Extensions, text);

        var findings = _copy.Check();

        findings.HasError(Extensions, national, "[sub-fallback] Dial() without a pre-dial handler b(<context>^s^1(...)) that sets PJSIP_HEADER(add,P-Asserted-Identity) on the agency channel");
        Assert.Single(findings, f => f.Message.Contains("pre-dial handler", StringComparison.Ordinal));
    }

    [Fact]
    public void A_handler_that_no_longer_adds_the_header_is_reported_for_every_fallback_dial()
    {
        _copy.Replace(Extensions, " same => n,Set(PJSIP_HEADER(add,P-Asserted-Identity)=\"112 ${ARG1}\" <sip:${ARG1}@${ASSERTED_IDENTITY_HOST}>)\n", " same => n,NoOp(forgot)\n");
        _copy.Replace(Extensions, " same => n(anonymous),Set(PJSIP_HEADER(add,P-Asserted-Identity)=\"112\" <sip:anonymous@anonymous.invalid>)\n", " same => n(anonymous),NoOp(forgot)\n");

        var findings = _copy.Check();

        Assert.Equal(5, findings.Count(f => f.Message.Contains("pre-dial handler", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_fallback_host_that_differs_from_the_engines_is_reported_on_the_global()
    {
        _copy.Replace(Extensions, "ASSERTED_IDENTITY_HOST = 127.0.0.1\n", "ASSERTED_IDENTITY_HOST = 112.example.kz\n");

        var findings = _copy.Check();

        findings.HasError(Extensions, ConfigCopy.LineOf(Extensions, "ASSERTED_IDENTITY_HOST = 112.example.kz"),
            "ASSERTED_IDENTITY_HOST = 112.example.kz, but Asterisk:AssertedIdentityHost is '127.0.0.1'");
    }

    [Fact]
    public void A_dialplan_without_the_host_global_is_reported_where_it_is_used()
    {
        _copy.Replace(Extensions, "ASSERTED_IDENTITY_HOST = 127.0.0.1\n", "");

        var findings = _copy.Check();

        findings.HasError(Extensions, ConfigCopy.LineOf(Extensions, "<sip:${ARG1}@${ASSERTED_IDENTITY_HOST}>"),
            "[globals] has no ASSERTED_IDENTITY_HOST");
    }

    [Theory]
    [InlineData("If(112 ${cid} <${cid}>)", "If", "112 ${cid} <${cid}>", null)]
    [InlineData("f(112 ${cid} <${cid}>)Ig", "fIg", "112 ${cid} <${cid}>", null)]
    [InlineData("If(112 ${cid} <${cid}>)b(sub-agency-leg^s^1(${cid}))", "Ifb", "112 ${cid} <${cid}>", "sub-agency-leg^s^1(${cid})")]
    [InlineData("b(h^s^1(${x}))If(1 <1>)", "bIf", "1 <1>", "h^s^1(${x})")]
    [InlineData("tTI", "tTI", null, null)]
    [InlineData("", "", null, null)]
    public void Dial_options_are_read_as_app_dial_reads_them(string options, string flags, string? forced, string? preDial)
    {
        var parsed = CallerIdentityCheck.ParseOptions(options);

        Assert.Equal(flags, parsed.Flags);
        Assert.Equal(forced, parsed.ForcedCallerId);
        Assert.Equal(preDial, parsed.PreDialCallee);
    }
}
