using System.Text;
using Routing.Asterisk.Ami;

namespace Routing.Asterisk.Tests.Ami;

public class AmiActionTests
{
    [Fact]
    public void Originate_serializes_to_exact_bytes_with_repeated_variables()
    {
        var action = new AmiAction("Originate")
            .Add("Channel", "PJSIP/fire")
            .Add("Context", "from-agency")
            .Add("Exten", "s")
            .Add("Priority", "1")
            .Add("CallerID", "\"112 Leitstelle\" <112>")
            .Add("Async", "true")
            .AddVariable("INCIDENT_CALLER", "1795486382.2")
            .AddVariable("REGION", "north");

        Assert.Equal(
            "Action: Originate\r\nActionID: r112-7\r\nChannel: PJSIP/fire\r\nContext: from-agency\r\nExten: s\r\nPriority: 1\r\n" +
            "CallerID: \"112 Leitstelle\" <112>\r\nAsync: true\r\nVariable: INCIDENT_CALLER=1795486382.2\r\nVariable: REGION=north\r\n\r\n",
            Encoding.UTF8.GetString(action.Serialize("r112-7")));
        Assert.True(action.IsMutating);
    }

    [Theory]
    [InlineData("Originate", true)]
    [InlineData("Redirect", true)]
    [InlineData("Hangup", true)]
    [InlineData("Ping", false)]
    [InlineData("CoreShowChannels", false)]
    [InlineData("Getvar", false)]
    public void Mutating_actions_are_known(string name, bool mutating) => Assert.Equal(mutating, new AmiAction(name).IsMutating);

    [Fact]
    public void Login_masks_its_secret_when_printed()
    {
        var login = AmiAction.Login("routing", "routing-secret");
        Assert.DoesNotContain("routing-secret", login.ToString());
        Assert.Contains("Secret=****", login.ToString());
        Assert.Contains("Secret: routing-secret\r\n", Encoding.UTF8.GetString(login.Serialize("r112-1")));
    }

    [Theory]
    [InlineData("Channel", "PJSIP/fire\nAction: Hangup")]
    [InlineData("Channel", "PJSIP/fire\r")]
    public void Line_breaks_in_values_are_refused(string key, string value) =>
        Assert.Throws<ArgumentException>(() => new AmiAction("Originate").Add(key, value));

    [Theory]
    [InlineData("ActionID")]
    [InlineData("action")]
    [InlineData("Bad:Key")]
    [InlineData("")]
    public void Reserved_or_broken_field_names_are_refused(string key) =>
        Assert.Throws<ArgumentException>(() => new AmiAction("Ping").Add(key, "x"));

    [Fact]
    public void Setvar_writes_a_dialplan_function_of_a_channel_named_by_its_uniqueid()
    {
        var setvar = AmiAction.Setvar("1733000000.17", "TIMEOUT(absolute)", "6");

        Assert.Equal("Action: Setvar\r\nActionID: r112-9\r\nChannel: 1733000000.17\r\nVariable: TIMEOUT(absolute)\r\nValue: 6\r\n\r\n",
            Encoding.UTF8.GetString(setvar.Serialize("r112-9")));
        Assert.True(setvar.IsMutating); // never re-sent after a lost answer
    }

    [Fact]
    public void A_connection_that_only_sends_actions_logs_in_with_events_off()
    {
        var options = new AmiOptions { User = "routing", Password = "secret" };

        Assert.Contains("Events: off\r\n", Encoding.UTF8.GetString(AmiAction.Login(options.User, options.Password, options.ActionsOnly().ReceiveEvents).Serialize("r112-1")));
        Assert.Contains("Events: on\r\n", Encoding.UTF8.GetString(AmiAction.Login(options.User, options.Password, options.ReceiveEvents).Serialize("r112-1")));
    }
}
