namespace Routing.Checks.Tests;

/// <summary>Issue 6, defect 6: the engine's AMI user reads only what the fallback observer needs, and
/// check-config proves each needed event still passes manager.conf's filters.</summary>
public sealed class ManagerFilterTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    private string Manager => _copy.Dialplan("manager.conf.in");

    private int UserLine => ConfigCopy.LineOf(Manager, "[routing]");

    [Fact]
    public void A_filter_set_without_the_stasisstatus_varset_drops_what_the_observer_needs()
    {
        _copy.Replace(Manager, "eventfilter(action(include),name(VarSet),header(Variable),method(exact)) = STASISSTATUS\n", "");

        var findings = _copy.Check();

        findings.HasError(Manager, UserLine, "the eventfilters drop VarSet (Variable: STASISSTATUS");
    }

    [Fact]
    public void An_exclude_filter_that_drops_hangups_is_reported()
    {
        _copy.Replace(Manager, "eventfilter(action(include),name(Hangup)) =\n",
            "eventfilter(action(include),name(Hangup)) =\neventfilter(action(exclude),header(Cause),method(regex)) = [0-9]+\n");

        var findings = _copy.Check();

        findings.HasError(Manager, UserLine, "the eventfilters drop Hangup");
    }

    [Fact]
    public void A_legacy_regex_filter_is_understood()
    {
        _copy.Replace(Manager, "eventfilter(action(include),name(UserEvent),header(UserEvent),method(exact)) = Routing112Fallback\n",
            "eventfilter = UserEvent: Routing112Fallback\n");

        Assert.DoesNotContain(_copy.Check(), f => f.Message.Contains("eventfilter", StringComparison.Ordinal));
    }

    [Fact]
    public void A_read_class_the_observer_needs_is_reported_on_the_read_line()
    {
        _copy.Replace(Manager, "read = call,dialplan,user\n", "read = call,dialplan\n");

        var findings = _copy.Check();

        findings.HasError(Manager, ConfigCopy.LineOf(Manager, "read = call,dialplan"), "lacks 'user': the engine would never see UserEvent events");
    }

    [Fact]
    public void An_unfiltered_user_is_told_it_receives_every_event()
    {
        foreach (var line in File.ReadAllLines(Manager).Where(l => l.StartsWith("eventfilter", StringComparison.Ordinal)))
            _copy.Replace(Manager, line + "\n", "");

        var findings = _copy.Check();

        findings.HasError(Manager, UserLine, "AMI user [routing] has no eventfilter");
    }
}
