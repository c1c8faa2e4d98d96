using Routing.Checks.Asterisk;

namespace Routing.Checks.Tests;

/// <summary>
/// The engine hands a call back with ARI <c>continue?label=fallback</c> instead of relying on
/// ROUTING112_FAILOVER having been set: every extension that runs Stasis() must put the caller
/// through from its own <c>n(fallback)</c>, with or without the variables.
/// </summary>
public class DialplanContinueLabelTests
{
    private static readonly Dialplan Shipped = LoadShipped();

    private static Dialplan LoadShipped()
    {
        var findings = new Findings();
        var dialplan = Dialplan.Parse(ConfFile.Load(Path.Combine(RepositoryFiles.Dialplans, "extensions.conf"), findings), findings);
        Assert.Empty(findings.Items);
        return dialplan;
    }

    /// <summary>What a caller dials in each caller context, and the first trunk the fallback rings
    /// when the engine names nothing (the extension's own destination, caller in almaty).</summary>
    public static TheoryData<string, string, string> Samples => new()
    {
        { "from-pstn", "112", "PJSIP/calltakers-1" },
        { "from-pstn", "101", "PJSIP/fire-almaty-1" },
        { "from-pstn", "102", "PJSIP/police-almaty-1" },
        { "from-pstn", "103", "PJSIP/ambulance-almaty-1" },
        { "from-pstn", "104", "PJSIP/gas-almaty-1" },
        { "from-sos", "112", "PJSIP/police-almaty-1" },
        { "from-sos", "s", "PJSIP/police-almaty-1" },
        { "from-app", "112", "PJSIP/calltakers-1" },
        { "from-app", "101", "PJSIP/fire-almaty-1" },
        { "from-app", "102", "PJSIP/police-almaty-1" },
        { "from-app", "103", "PJSIP/ambulance-almaty-1" },
        { "from-app", "104", "PJSIP/gas-almaty-1" },
        { "from-pstn", "1", "PJSIP/calltakers-1" },
        { "from-pstn", "*", "PJSIP/calltakers-1" },
        { "from-pstn", "help", "PJSIP/calltakers-1" },
        { "from-pstn", "b", "PJSIP/calltakers-1" },
        { "from-pstn", "s", "PJSIP/calltakers-1" },
        { "from-pstn", "i", "PJSIP/calltakers-1" },
        { "from-sos", "1", "PJSIP/police-almaty-1" },
        { "from-sos", "#", "PJSIP/police-almaty-1" },
        { "from-sos", "SOS", "PJSIP/police-almaty-1" },
        { "from-sos", "D", "PJSIP/police-almaty-1" },
        { "from-sos", "i", "PJSIP/police-almaty-1" },
        { "from-app", "9", "PJSIP/calltakers-1" },
        { "from-app", "+77", "PJSIP/calltakers-1" },
        { "from-app", "police", "PJSIP/calltakers-1" },
        { "from-app", "x", "PJSIP/calltakers-1" },
        { "from-app", "s", "PJSIP/calltakers-1" },
        { "from-app", "i", "PJSIP/calltakers-1" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Continue_at_the_fallback_label_puts_the_caller_through_without_any_variable(string context, string dialled, string firstTrunk)
    {
        var runner = new DialplanRunner(Shipped, "+77271234567")
        {
            Stasis = _ => ("SUCCESS", new Dictionary<string, string>()),
            StasisContinueLabel = "fallback",
        };

        runner.Run(context, dialled);

        Assert.Single(runner.StasisCalls);
        Assert.Equal(firstTrunk, runner.Dials[0].Target);
        Assert.EndsWith("Region: almaty,StasisStatus: SUCCESS", runner.UserEvents[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Continue_at_the_fallback_label_follows_the_agency_and_region_the_engine_named()
    {
        var runner = new DialplanRunner(Shipped, "+77271234567")
        {
            Stasis = _ => ("SUCCESS", new Dictionary<string, string> { ["ROUTING112_AGENCY"] = "fire", ["ROUTING112_REGION"] = "astana" }),
            StasisContinueLabel = "fallback",
            DialResults = new Dictionary<string, string> { ["PJSIP/fire-astana-1"] = "ANSWER" },
        };

        runner.Run("from-sos", "112");

        Assert.Equal(["PJSIP/fire-astana-1"], runner.Dials.Select(d => d.Target));
    }

    [Fact]
    public void The_samples_reach_every_extension_that_runs_stasis()
    {
        var reached = Samples
            .Select(row => ((string)row[0], (string)row[1]))
            .SelectMany(s => Shipped.ExtensionFor(s.Item1, s.Item2).Take(1))
            .Select(step => (step.Context, step.Extension))
            .ToHashSet();
        var stasisExtensions = Shipped.Steps.Where(s => s.Is("Stasis")).Select(s => (s.Context, s.Extension)).ToHashSet();

        Assert.Empty(stasisExtensions.Except(reached));
    }
}
