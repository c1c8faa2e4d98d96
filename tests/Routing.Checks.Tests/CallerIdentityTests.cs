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

    [Theory]
    [InlineData("If(112 ${cid} <${cid}>)", "If", "112 ${cid} <${cid}>")]
    [InlineData("f(112 ${cid} <${cid}>)Ig", "fIg", "112 ${cid} <${cid}>")]
    [InlineData("tTI", "tTI", null)]
    [InlineData("", "", null)]
    public void Dial_options_are_read_as_app_dial_reads_them(string options, string flags, string? forced)
    {
        var parsed = CallerIdentityCheck.ParseOptions(options);

        Assert.Equal(flags, parsed.Flags);
        Assert.Equal(forced, parsed.ForcedCallerId);
    }
}
