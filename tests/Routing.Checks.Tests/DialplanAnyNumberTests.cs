using Routing.Checks.Asterisk;

namespace Routing.Checks.Tests;

/// <summary>
/// A 112 system never refuses a caller for what was dialled: one digit, <c>*</c>, letters, no
/// number at all or an invalid extension still reach the engine and, without it, a person.
/// res_pjsip answers 404 to an INVITE whose number matches no extension before any dialplan runs,
/// so these must match real extensions, not only <c>i</c>.
/// </summary>
public class DialplanAnyNumberTests
{
    private static readonly Dialplan Shipped = LoadShipped();

    private static Dialplan LoadShipped()
    {
        var findings = new Findings();
        var dialplan = Dialplan.Parse(ConfFile.Load(Path.Combine(RepositoryFiles.Dialplans, "extensions.conf"), findings), findings);
        Assert.Empty(findings.Items);
        return dialplan;
    }

    private static DialplanRunner EngineDown(string context, string dialled)
    {
        var runner = new DialplanRunner(Shipped, "+77171234567") { Stasis = _ => ("FAILED", new Dictionary<string, string>()) };
        runner.Run(context, dialled);
        return runner;
    }

    [Theory]
    [InlineData("from-sos", "1", "routing112,sos", "PJSIP/police-astana-1")]
    [InlineData("from-sos", "*", "routing112,sos", "PJSIP/police-astana-1")]
    [InlineData("from-sos", "#9", "routing112,sos", "PJSIP/police-astana-1")]
    [InlineData("from-sos", "A", "routing112,sos", "PJSIP/police-astana-1")]
    [InlineData("from-sos", "sos", "routing112,sos", "PJSIP/police-astana-1")]
    [InlineData("from-sos", "s", "routing112,sos", "PJSIP/police-astana-1")]
    [InlineData("from-sos", "i", "routing112,sos", "PJSIP/police-astana-1")]
    [InlineData("from-pstn", "7", "routing112,112", "PJSIP/calltakers-1")]
    [InlineData("from-pstn", "1120", "routing112,112", "PJSIP/calltakers-1")]
    [InlineData("from-pstn", "+77172000000", "routing112,112", "PJSIP/calltakers-1")]
    [InlineData("from-pstn", "emergency", "routing112,112", "PJSIP/calltakers-1")]
    [InlineData("from-pstn", "s", "routing112,112", "PJSIP/calltakers-1")]
    [InlineData("from-pstn", "i", "routing112,112", "PJSIP/calltakers-1")]
    [InlineData("from-app", "0", "routing112,app", "PJSIP/calltakers-1")]
    [InlineData("from-app", "*", "routing112,app", "PJSIP/calltakers-1")]
    [InlineData("from-app", "webrtc", "routing112,app", "PJSIP/calltakers-1")]
    [InlineData("from-app", "s", "routing112,app", "PJSIP/calltakers-1")]
    [InlineData("from-app", "i", "routing112,app", "PJSIP/calltakers-1")]
    public void Whatever_is_dialled_reaches_the_engine_and_without_it_a_person(string context, string dialled, string stasisArgs, string firstTrunk)
    {
        var runner = EngineDown(context, dialled);

        Assert.Equal(stasisArgs, string.Join(",", Assert.Single(runner.StasisCalls)));
        Assert.Equal(firstTrunk, runner.Dials[0].Target);
    }

    [Theory]
    [InlineData("from-pstn", "112")]
    [InlineData("from-pstn", "101")]
    [InlineData("from-app", "104")]
    public void The_catch_all_patterns_do_not_take_the_numbers_that_have_their_own_extension(string context, string number)
    {
        Assert.Equal(number, Assert.Single(Shipped.ExtensionFor(context, number).Select(s => s.Extension).Distinct()));
    }

    /// <summary>Asterisk runs "h" at hang-up (and a, e, o, t, T on their events) when the context
    /// has a matching extension: a pattern that matched them would re-enter Stasis for a caller
    /// who is gone.</summary>
    [Theory]
    [InlineData("from-pstn")]
    [InlineData("from-sos")]
    [InlineData("from-app")]
    public void No_pattern_catches_asterisks_special_extensions(string context)
    {
        // T exists on purpose (the dead man's switch), as its own extension: what matters is that no pattern takes it.
        foreach (var special in new[] { "h", "a", "e", "o", "t", "T" })
            Assert.All(Shipped.ExtensionFor(context, special), step => Assert.Equal(special, step.Extension));
    }
}
