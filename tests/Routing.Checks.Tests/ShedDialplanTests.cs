using Routing.Checks.Asterisk;

namespace Routing.Checks.Tests;

/// <summary>
/// The overload flag, dialplan half: while the engine keeps ROUTING112_SHED_UNTIL ahead of EPOCH, every entry
/// sends a new caller to its own fallback without Stasis(), with STASISSTATUS=SHED for the engine's AMI record;
/// a flag in the past (an engine that died while shedding) no longer holds anyone off.
/// </summary>
public sealed class ShedDialplanTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void The_shipped_dialplan_gives_no_shed_finding_and_an_entry_without_the_check_is_warned_on_its_Stasis_line()
    {
        Assert.DoesNotContain(_copy.Check(), f => f.Message.Contains("ROUTING112_SHED_UNTIL", StringComparison.Ordinal));
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, " same => n,Set(ROUTING112_OWN=fire)\n same => n,GotoIf($[0${ROUTING112_SHED_UNTIL} > ${EPOCH}]?shed)\n", " same => n,Set(ROUTING112_OWN=fire)\n");

        var warning = Assert.Single(_copy.Check(), f => f.Message.Contains("ROUTING112_SHED_UNTIL", StringComparison.Ordinal));

        Assert.Equal((Severity.Warning, ConfigCopy.LineOf(extensions, "Stasis(routing112,direct,fire)")), (warning.Severity, warning.Line));
        Assert.StartsWith("extension 101 of [from-pstn] does not check ROUTING112_SHED_UNTIL before Stasis()", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_that_checks_the_flag_without_a_shed_label_before_its_fallback_is_an_error()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, " same => n(shed),Set(STASISSTATUS=SHED)\n same => n(fallback),Gosub(sub-fallback,s,1(fire))\n", " same => n(fallback),Gosub(sub-fallback,s,1(fire))\n");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "Set(ROUTING112_OWN=fire)") + 1,
            "extension 101 of [from-pstn] checks ROUTING112_SHED_UNTIL but has no n(shed),Set(STASISSTATUS=SHED) just before its n(fallback)");
    }
    private static Dialplan Shipped()
    {
        var findings = new Findings();
        var dialplan = Dialplan.Parse(ConfFile.Load(Path.Combine(RepositoryFiles.Dialplans, "extensions.conf"), findings), findings);
        Assert.Empty(findings.Items);
        return dialplan;
    }

    private static DialplanRunner FlagAt(DialplanRunner runner, long offsetSeconds)
    {
        runner.SetGlobal("ROUTING112_SHED_UNTIL", (runner.Epoch + offsetSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return runner;
    }

    [Theory]
    [InlineData("from-pstn", "112", "+77271234567", "PJSIP/calltakers-1")]
    [InlineData("from-pstn", "101", "+77251234567", "PJSIP/fire-shymkent-1")]
    [InlineData("from-pstn", "104", "+77171234567", "PJSIP/gas-astana-1")]
    [InlineData("from-pstn", "help", "+77271234567", "PJSIP/calltakers-1")]
    [InlineData("from-sos", "112", "+77171234567", "PJSIP/police-astana-1")]
    [InlineData("from-app", "103", "+77271234567", "PJSIP/ambulance-almaty-1")]
    [InlineData("from-app", "112", "+77271234567", "PJSIP/calltakers-1")]
    public void A_caller_arriving_while_the_flag_is_up_skips_Stasis_and_takes_the_same_fallback_as_with_the_engine_away(string context, string dialled, string caller, string firstTrunk)
    {
        var answers = new Dictionary<string, string> { [firstTrunk] = "ANSWER" };
        var shed = FlagAt(new DialplanRunner(Shipped(), caller) { DialResults = answers }, 3);
        var away = new DialplanRunner(Shipped(), caller) { Stasis = _ => ("FAILED", new Dictionary<string, string>()), DialResults = answers };

        shed.Run(context, dialled);
        away.Run(context, dialled);

        Assert.Empty(shed.StasisCalls);
        Assert.Equal("SHED", shed.Variable("STASISSTATUS"));
        Assert.Equal(firstTrunk, shed.Dials[0].Target);
        Assert.Equal(away.Dials, shed.Dials);
        Assert.Contains("StasisStatus: SHED", Assert.Single(shed.UserEvents), StringComparison.Ordinal);
        Assert.Contains("stasis=SHED", Assert.Single(shed.CelEvents), StringComparison.Ordinal);
        Assert.All(shed.TimeoutAtDial, timeout => Assert.True(timeout is "" or "0", $"Dial() with TIMEOUT(absolute)={timeout}"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void A_flag_that_is_not_ahead_of_EPOCH_holds_nobody_off(long offsetSeconds)
    {
        var runner = FlagAt(new DialplanRunner(Shipped(), "+77271234567") { Stasis = _ => ("SUCCESS", new Dictionary<string, string>()) }, offsetSeconds);

        runner.Run("from-pstn", "112");

        Assert.Equal(["routing112", "112"], Assert.Single(runner.StasisCalls));
        Assert.Empty(runner.Dials);
    }

    [Fact]
    public void Every_entry_that_runs_Stasis_checks_the_flag_first_and_has_a_shed_label_before_its_fallback()
    {
        var dialplan = Shipped();
        var entries = dialplan.Steps.Where(s => s.Is("Stasis")).Select(s => (s.Context, s.Extension)).Distinct().ToList();
        Assert.True(entries.Count >= 20, $"only {entries.Count} Stasis entries found");
        foreach (var (context, extension) in entries)
        {
            var steps = dialplan.Steps.Where(s => s.Context == context && s.Extension == extension).ToList();
            var stasis = steps.FindIndex(s => s.Is("Stasis"));
            var check = steps.FindIndex(s => s.Is("GotoIf") && s.Data.Contains("ROUTING112_SHED_UNTIL", StringComparison.Ordinal));
            var shed = steps.FindIndex(s => s.Label == "shed");
            var fallback = steps.FindIndex(s => s.Label == "fallback");
            Assert.True(check >= 0 && check < stasis, $"{extension}@{context}: no flag check before Stasis()");
            Assert.True(shed >= 0 && shed == fallback - 1 && steps[shed].Data == "STASISSTATUS=SHED", $"{extension}@{context}: no n(shed),Set(STASISSTATUS=SHED) just before n(fallback)");
        }
    }
}
