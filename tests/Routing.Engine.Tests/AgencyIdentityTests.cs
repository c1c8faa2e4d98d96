using Routing.Engine.Calls;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// Issue 6, defect 1: the agency sees the identity the engine decided for the whole call. Agency endpoints have
/// send_pai = no (a re-INVITE would otherwise carry the bridge's connected line, the caller's own id), so the engine's
/// originate adds the first INVITE's P-Asserted-Identity itself.
/// </summary>
public class AgencyIdentityTests
{
    private const string Header = "PJSIP_HEADER(add,P-Asserted-Identity)";

    [Fact]
    public async Task The_agency_leg_is_asserted_112_and_the_callers_cleaned_number_never_the_callers_own_text()
    {
        await using var harness = await EngineHarness.StartAsync();
        var hostile = "+7727'); DROP TABLE calls;--\u001b[31m<sip:evil@x>" + new string('9', 50);

        var (call, end) = await harness.CallAsync(new CallScript(hostile, "102", CallerName: "<b>\u202eEvil\" <sip:x@y>", TalkFor: TimeSpan.FromSeconds(1)));

        Assert.Equal("police-almaty-1", end.BridgedWith);
        var asserted = AssertedOn(harness, "PJSIP/police-almaty-1");
        var number = Routing.Calls.Routing.CallerText.NormaliseNumber(hostile);
        Assert.Equal($"\"112 {number}\" <sip:{number}@127.0.0.1>", asserted);
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(call.ChannelId)).Outcome);
    }

    [Fact]
    public async Task An_anonymous_caller_is_asserted_as_anonymous_not_as_a_made_up_number()
    {
        await using var harness = await EngineHarness.StartAsync();

        var (_, end) = await harness.CallAsync(new CallScript("anonymous", "101", TalkFor: TimeSpan.FromSeconds(1)));

        Assert.Equal("fire-almaty-1", end.BridgedWith);
        Assert.Equal("\"112 anonymous\" <sip:anonymous@anonymous.invalid>", AssertedOn(harness, "PJSIP/fire-almaty-1"));
    }

    [Theory]
    [InlineData("\"112 +77271234567\" <+77271234567>", "\"112 +77271234567\" <sip:+77271234567@112.example.kz>")]
    [InlineData("\"112 anonymous\" <anonymous>", "\"112 anonymous\" <sip:anonymous@anonymous.invalid>")]
    [InlineData("+77271234567", "<sip:+77271234567@112.example.kz>")]
    [InlineData("Callback <112>", "\"Callback\" <sip:112@112.example.kz>")]
    [InlineData("\"a\\\"b\" <112>", "\"ab\" <sip:112@112.example.kz>")]
    public void A_caller_id_becomes_the_header_agencies_read(string callerId, string header)
    {
        Assert.Equal(header, AssertedIdentity.Format(callerId, "112.example.kz"));
    }

    [Theory]
    [InlineData("\"112\" <sip:evil@x>")]
    [InlineData("\"112\" <+7727 1234>")]
    [InlineData("\"112\" <+7727")]
    [InlineData("\"112\r\nX-Evil: 1\" <112>")]
    [InlineData("")]
    public void A_caller_id_without_a_number_a_URI_can_hold_asserts_nothing(string callerId)
    {
        Assert.Null(AssertedIdentity.Format(callerId, "127.0.0.1"));
        var variables = new Dictionary<string, string> { ["ROUTING112_CALL_ID"] = "c1" };
        Assert.Same(variables, AssertedIdentity.AddTo(variables, "PJSIP/police-almaty-1", callerId, "127.0.0.1"));
    }

    [Fact]
    public void Only_SIP_endpoints_get_the_header_and_the_leg_keeps_its_other_variables()
    {
        var variables = new Dictionary<string, string> { ["ROUTING112_CALL_ID"] = "c1" };

        var sip = AssertedIdentity.AddTo(variables, "PJSIP/police-almaty-1", "\"112 +7727\" <+7727>", "127.0.0.1")!;
        var local = AssertedIdentity.AddTo(variables, "Local/s@recorder", "\"112 +7727\" <+7727>", "127.0.0.1");

        Assert.Equal("c1", sip["ROUTING112_CALL_ID"]);
        Assert.Equal("\"112 +7727\" <sip:+7727@127.0.0.1>", sip[Header]);
        Assert.False(variables.ContainsKey(Header));
        Assert.Same(variables, local);
    }

    private static string AssertedOn(EngineHarness harness, string endpoint)
    {
        var originate = harness.Asterisk.Requests.Last(r => r.Method == "POST" && r.Path.EndsWith("/channels", StringComparison.Ordinal)
            && Uri.UnescapeDataString(r.Query + r.Body).Contains("endpoint=" + endpoint, StringComparison.Ordinal));
        Assert.NotNull(originate.Body);
        using var body = System.Text.Json.JsonDocument.Parse(originate.Body);
        return body.RootElement.GetProperty("variables").GetProperty(Header).GetString()!;
    }
}
