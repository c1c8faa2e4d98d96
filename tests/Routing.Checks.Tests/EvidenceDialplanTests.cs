using Routing.Checks.Asterisk;

namespace Routing.Checks.Tests;

/// <summary>What the dialplan owes the record whether or not the engine is alive: every call recorded
/// from arrival (MixMonitor before Stasis), and fallback-routed calls marked in CEL for the engine's import.</summary>
public sealed class EvidenceDialplanTests : IDisposable
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
    [InlineData("from-pstn", "112")]
    [InlineData("from-pstn", "102")]
    [InlineData("from-sos", "s")]
    [InlineData("from-app", "112")]
    public void A_call_is_recorded_from_arrival_before_it_enters_the_engine(string context, string number)
    {
        var runner = new DialplanRunner(Shipped(), "+77011234567") { Stasis = _ => ("SUCCESS", new Dictionary<string, string>()) };

        runner.Run(context, number);

        Assert.Equal(["112/2026/12/06/.wav"], runner.Recordings); // UNIQUEID is empty in the runner
        Assert.Single(runner.StasisCalls);
    }

    [Fact]
    public void A_call_routed_while_the_engine_is_down_is_marked_in_CEL_with_its_agency_and_region()
    {
        var runner = new DialplanRunner(Shipped(), "+77011234567")
        {
            Stasis = _ => ("FAILED", new Dictionary<string, string>()),
            DialResults = new Dictionary<string, string> { ["PJSIP/police-almaty-1"] = "ANSWER" },
        };

        runner.Run("from-pstn", "102");

        Assert.Equal(["routing112-fallback,agency=police region=almaty stasis=FAILED failover="], runner.CelEvents);
    }

    [Fact]
    public void A_stasis_extension_that_skips_the_recording_is_reported_on_its_stasis_line()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "exten => 103,1,NoOp(103 ambulance from ${CALLERID(num)} on ${CHANNEL})\n same => n,Gosub(sub-record,s,1)\n",
            "exten => 103,1,NoOp(103 ambulance from ${CALLERID(num)} on ${CHANNEL})\n");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "Stasis(routing112,direct,ambulance)"),
            "extension 103 of [from-pstn] runs Stasis() without Gosub(sub-record,s,1) before it");
    }

    [Fact]
    public void A_fallback_without_the_CEL_marker_is_reported()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "CELGenUserEvent(routing112-fallback,", "CELGenUserEvent(something-else,");

        var findings = _copy.Check();

        Assert.Contains(findings, f => f.Message.Contains("[sub-fallback] raises no TryExec(CELGenUserEvent(routing112-fallback", StringComparison.Ordinal));
    }

    [Fact]
    public void A_caller_still_reaches_a_person_when_Asterisk_lacks_app_celgenuserevent()
    {
        var runner = new DialplanRunner(Shipped(), "+77251000601")
        {
            Stasis = _ => ("FAILED", new Dictionary<string, string>()),
            DialResults = new Dictionary<string, string> { ["PJSIP/fire-shymkent-1"] = "ANSWER" },
            MissingApplications = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "CELGenUserEvent" },
        };

        runner.Run("from-pstn", "101");

        Assert.Empty(runner.CelEvents);
        Assert.Equal("PJSIP/fire-shymkent-1", Assert.Single(runner.Dials).Target);
    }

    [Fact]
    public void A_fallback_whose_CEL_marker_can_stop_the_caller_is_reported_on_its_line()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "TryExec(CELGenUserEvent(routing112-fallback,agency=${agency} region=${region} stasis=${STASISSTATUS} failover=${ROUTING112_FAILOVER}))",
            "CELGenUserEvent(routing112-fallback,agency=${agency} region=${region} stasis=${STASISSTATUS} failover=${ROUTING112_FAILOVER})");

        var findings = _copy.Check();

        findings.HasError(extensions, ConfigCopy.LineOf(extensions, "CELGenUserEvent(routing112-fallback,"),
            "[sub-fallback] runs CELGenUserEvent() directly: without app_celgenuserevent.so the caller is hung up there");
    }

    [Fact]
    public void A_recording_subroutine_that_records_nothing_is_reported()
    {
        var extensions = _copy.Dialplan("extensions.conf");
        _copy.Replace(extensions, "exten => s,1,MixMonitor(", "exten => s,1,NoOp(");

        var findings = _copy.Check();

        Assert.Contains(findings, f => f.Message.Contains("no [sub-record] context running MixMonitor()", StringComparison.Ordinal));
    }
}
