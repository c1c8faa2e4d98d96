using Routing.Checks.Asterisk;

namespace Routing.Checks.Tests;

/// <summary>
/// The dead man's switch, dialplan half: every entry arms TIMEOUT(absolute)=DEADMAN_SECONDS and names its own
/// destination before Stasis(); when the engine dies nobody re-arms it and the context's T extension puts the
/// caller through the same fallback as STASISSTATUS=FAILED; the fallback clears the timeout so that its own call
/// is never cut. check-config refuses a dialplan or an engine setting that would strand or cut callers.
/// </summary>
public sealed class DeadMansSwitchDialplanTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    private static Dialplan Shipped()
    {
        var findings = new Findings();
        var dialplan = Dialplan.Parse(ConfFile.Load(Path.Combine(RepositoryFiles.Dialplans, "extensions.conf"), findings), findings);
        Assert.Empty(findings.Items);
        return dialplan;
    }

    [Theory]
    [InlineData("from-pstn", "112", "+77271234567", "PJSIP/calltakers-1")]
    [InlineData("from-pstn", "101", "+77251234567", "PJSIP/fire-shymkent-1")]
    [InlineData("from-pstn", "help", "+77271234567", "PJSIP/calltakers-1")]
    [InlineData("from-sos", "112", "+77171234567", "PJSIP/police-astana-1")]
    [InlineData("from-app", "103", "+77271234567", "PJSIP/ambulance-almaty-1")]
    [InlineData("from-app", "112", "+77271234567", "PJSIP/calltakers-1")]
    public void A_caller_whose_engine_dies_in_Stasis_goes_through_T_to_the_same_fallback_as_with_the_engine_away(string context, string dialled, string caller, string firstTrunk)
    {
        var dead = new DialplanRunner(Shipped(), caller) { EngineDiesInStasis = true, DialResults = new Dictionary<string, string> { [firstTrunk] = "ANSWER" } };
        var away = new DialplanRunner(Shipped(), caller) { Stasis = _ => ("FAILED", new Dictionary<string, string>()), DialResults = new Dictionary<string, string> { [firstTrunk] = "ANSWER" } };

        dead.Run(context, dialled);
        away.Run(context, dialled);

        Assert.Equal(firstTrunk, dead.Dials[0].Target);
        Assert.Equal(away.Dials, dead.Dials);
        Assert.Equal("1", dead.Variable("ROUTING112_DEADMAN"));
        Assert.Single(dead.CelEvents); // the CEL import records it as a fallback-routed call
        Assert.StartsWith("routing112-fallback,", dead.CelEvents[0], StringComparison.Ordinal);
    }

    [Fact]
    public void An_Asterisk_built_without_CELGenUserEvent_still_puts_the_caller_through()
    {
        // Seen on a real 23.4.1 build: "No application 'CELGenUserEvent'" hung every fallback caller up.
        var runner = new DialplanRunner(Shipped(), "+77271234567")
        {
            EngineDiesInStasis = true,
            MissingApplications = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "CELGenUserEvent" },
            DialResults = new Dictionary<string, string> { ["PJSIP/calltakers-1"] = "ANSWER" },
        };

        runner.Run("from-pstn", "112");

        Assert.Equal("PJSIP/calltakers-1", Assert.Single(runner.Dials).Target);
    }

    [Theory]
    [InlineData("FAILED", null)]
    [InlineData("SUCCESS", "1")]
    public void The_fallback_dials_with_the_absolute_timeout_cleared_so_its_call_is_not_cut(string status, string? failover)
    {
        var variables = failover is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["ROUTING112_FAILOVER"] = failover };
        var runner = new DialplanRunner(Shipped(), "+77271234567") { Stasis = _ => (status, variables) };

        runner.Run("from-pstn", "102");

        Assert.NotEmpty(runner.Dials);
        Assert.All(runner.TimeoutAtDial, timeout => Assert.True(timeout is "" or "0", $"Dial() with TIMEOUT(absolute)={timeout}"));
    }

    [Fact]
    public void Every_entry_arms_DEADMAN_SECONDS_before_Stasis()
    {
        var runner = new DialplanRunner(Shipped(), "+77271234567") { Stasis = _ => ("SUCCESS", new Dictionary<string, string>()) };

        runner.Run("from-pstn", "104");

        Assert.Equal("${DEADMAN_SECONDS}", Shipped().ExtensionFor("from-pstn", "104").First(s => s.Is("Set") && s.Data.StartsWith("TIMEOUT(absolute)=", StringComparison.Ordinal)).Data["TIMEOUT(absolute)=".Length..]);
        Assert.Equal("6", runner.Variable("TIMEOUT(absolute)"));
        Assert.Equal("gas", runner.Variable("ROUTING112_OWN"));
    }

    [Fact]
    public void An_entry_that_does_not_arm_the_timeout_is_reported_on_its_Stasis_line()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, " same => n,Set(TIMEOUT(absolute)=${DEADMAN_SECONDS})\n same => n,Stasis(routing112,direct,fire)\n", " same => n,Stasis(routing112,direct,fire)\n");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "Stasis(routing112,direct,fire)"),
            "extension 101 of [from-pstn] runs Stasis() without Set(TIMEOUT(absolute)=${DEADMAN_SECONDS}) before it");
    }

    [Fact]
    public void An_entry_whose_own_destination_differs_from_its_fallback_is_reported()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "Set(ROUTING112_OWN=fire)", "Set(ROUTING112_OWN=police)");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "Set(ROUTING112_OWN=police)"),
            "extension 101 of [from-pstn] sets ROUTING112_OWN=police, but its own fallback goes to 'fire'");
    }

    [Fact]
    public void A_caller_context_without_a_T_extension_is_reported_on_its_section()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "exten => T,1,NoOp(SOS button", "exten => X,1,NoOp(SOS button");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "[from-sos]"), "[from-sos] runs Stasis() but has no T extension");
    }

    [Fact]
    public void A_fallback_that_does_not_clear_the_timeout_is_reported()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "exten => s,1,Set(TIMEOUT(absolute)=0)\n same => n,Set(LOCAL(own)", "exten => s,1,Set(LOCAL(own)");

        var findings = _copy.Check();

        Assert.Contains(findings, f => f.File == extensions && f.Message.Contains("[sub-fallback] does not clear TIMEOUT(absolute)", StringComparison.Ordinal));
    }

    [Fact]
    public void An_engine_with_the_switch_off_under_a_dialplan_that_arms_it_is_reported_with_both_places()
    {
        _copy.Replace(_copy.AppSettings, "\"DeadMansSwitch\": \"00:00:06\"", "\"DeadMansSwitch\": \"00:00:00\"");
        var extensions = _copy.Dialplan("extensions.conf");

        var findings = _copy.Check();

        var finding = findings.HasError(extensions, ConfigCopy.LineOf(extensions, "DEADMAN_SECONDS = 6"), "Asterisk:DeadMansSwitch is off");
        Assert.Contains($"{_copy.AppSettings}:{ConfigCopy.LineOf(_copy.AppSettings, "DeadMansSwitch")}", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dialplan_window_other_than_the_engines_is_reported()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "DEADMAN_SECONDS = 6", "DEADMAN_SECONDS = 4");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "DEADMAN_SECONDS = 4"), "DEADMAN_SECONDS is 4 but Asterisk:DeadMansSwitch is 6 s");
    }

    [Theory]
    [InlineData("00:00:01")]
    [InlineData("00:00:02.5")]
    [InlineData("soon")]
    public void A_switch_setting_the_engine_would_refuse_is_reported_on_its_line(string value)
    {
        _copy.Replace(_copy.AppSettings, "\"DeadMansSwitch\": \"00:00:06\"", $"\"DeadMansSwitch\": \"{value}\"");

        var findings = _copy.Check();

        findings.HasError(_copy.AppSettings, ConfigCopy.LineOf(_copy.AppSettings, "DeadMansSwitch"), $"Asterisk:DeadMansSwitch '{value}' is not zero (off) or whole seconds of at least 2");
    }
}
