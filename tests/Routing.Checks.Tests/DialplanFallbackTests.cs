using Routing.Checks.Asterisk;

namespace Routing.Checks.Tests;

/// <summary>
/// The shipped dialplan, run step by step (<see cref="DialplanRunner"/>): whatever the engine does
/// or fails to do, every call ends up ringing a sensible trunk (ARCHITECTURE invariant 2: no call
/// is lost).
/// </summary>
public class DialplanFallbackTests
{
    private static readonly Dialplan Shipped = LoadShipped();

    private static Dialplan LoadShipped()
    {
        var findings = new Findings();
        var dialplan = Dialplan.Parse(ConfFile.Load(Path.Combine(RepositoryFiles.Dialplans, "extensions.conf"), findings), findings);
        Assert.Empty(findings.Items);
        return dialplan;
    }

    private static readonly Func<IReadOnlyList<string>, (string, IReadOnlyDictionary<string, string>)> EngineDown =
        _ => ("FAILED", new Dictionary<string, string>());

    private static Func<IReadOnlyList<string>, (string, IReadOnlyDictionary<string, string>)> EngineHandsBack(string agency, string region) =>
        _ => ("SUCCESS", new Dictionary<string, string>
        {
            ["ROUTING112_FAILOVER"] = "1",
            ["ROUTING112_AGENCY"] = agency,
            ["ROUTING112_REGION"] = region,
        });

    private static DialplanRunner Call(string context, string number, string caller,
        Func<IReadOnlyList<string>, (string, IReadOnlyDictionary<string, string>)> stasis, params string[] answering)
    {
        var runner = new DialplanRunner(Shipped, caller)
        {
            Stasis = stasis,
            DialResults = answering.ToDictionary(t => t, _ => "ANSWER"),
        };
        runner.Run(context, number);
        return runner;
    }

    private static string[] Targets(DialplanRunner runner) => runner.Dials.Select(d => d.Target).ToArray();

    [Theory]
    [InlineData("112", "routing112,112")]
    [InlineData("101", "routing112,direct,fire")]
    [InlineData("102", "routing112,direct,police")]
    [InlineData("103", "routing112,direct,ambulance")]
    [InlineData("104", "routing112,direct,gas")]
    public void Each_pstn_number_enters_the_engine_with_its_arguments(string number, string args)
    {
        var runner = Call("from-pstn", number, "+77271234567", _ => ("SUCCESS", new Dictionary<string, string>()));

        Assert.Equal(args, string.Join(",", Assert.Single(runner.StasisCalls)));
        Assert.Empty(runner.Dials);
        Assert.True(runner.HungUp);
    }

    [Fact]
    public void With_the_engine_down_101_rings_fire_in_the_callers_region_then_the_national_fire_trunk()
    {
        var runner = Call("from-pstn", "101", "+77171234567", EngineDown);

        Assert.Equal(["PJSIP/fire-astana-1", "PJSIP/fire-astana-2", "PJSIP/fire-national"], Targets(runner));
        Assert.Equal("20", runner.Dials[0].Timeout);
        Assert.Equal("30", runner.Dials[2].Timeout);
        Assert.Equal("Routing112Fallback,Agency: fire,Region: astana,StasisStatus: FAILED", Assert.Single(runner.UserEvents));
    }

    [Theory]
    [InlineData("+77271234567", "\"112 +77271234567\" <sip:+77271234567@127.0.0.1>")]
    [InlineData("anonymous", "\"112\" <sip:anonymous@anonymous.invalid>")]
    [InlineData("+7727<script>\"; DROP", "\"112 +7727\" <sip:+7727@127.0.0.1>")]
    public void Every_fallback_agency_channel_presents_112_and_the_number_in_its_first_invite(string callerNumber, string asserted)
    {
        // Agency endpoints have send_pai = no (a re-INVITE would otherwise carry the bridge's connected line, the
        // caller's own id: video-blind-identity on 23.4.1); each Dial's pre-dial handler adds the first INVITE's
        // P-Asserted-Identity instead, as the engine's originate does.
        var runner = Call("from-pstn", "112", callerNumber, EngineDown);

        Assert.True(runner.Dials.Count >= 4);
        Assert.Equal(runner.Dials.Count, runner.Callees.Count);
        Assert.All(runner.Callees, callee => Assert.Equal(asserted, callee["PJSIP_HEADER(add,P-Asserted-Identity)"]));
    }

    [Fact]
    public void With_the_engine_down_112_rings_the_call_takers_then_the_police()
    {
        var runner = Call("from-pstn", "112", "87251234567", EngineDown);

        Assert.Equal(
            ["PJSIP/calltakers-1", "PJSIP/calltakers-2", "PJSIP/police-shymkent-1", "PJSIP/police-shymkent-2", "PJSIP/police-national"],
            Targets(runner));
    }

    [Fact]
    public void A_call_the_engine_hands_back_goes_to_the_agency_and_region_it_named()
    {
        var runner = Call("from-pstn", "112", "+77271234567", EngineHandsBack("ambulance", "shymkent"), "PJSIP/ambulance-national");

        Assert.Equal(["PJSIP/ambulance-shymkent-1", "PJSIP/ambulance-shymkent-2", "PJSIP/ambulance-national"], Targets(runner));
    }

    [Fact]
    public void When_nobody_answers_for_the_engines_choice_the_numbers_own_destination_is_tried_once()
    {
        var runner = Call("from-pstn", "112", "+77271234567", EngineHandsBack("ambulance", "shymkent"));

        Assert.Equal(
            ["PJSIP/ambulance-shymkent-1", "PJSIP/ambulance-shymkent-2", "PJSIP/ambulance-national",
             "PJSIP/calltakers-1", "PJSIP/calltakers-2", "PJSIP/police-shymkent-1", "PJSIP/police-shymkent-2", "PJSIP/police-national"],
            Targets(runner));
        Assert.Equal(2, runner.UserEvents.Count);
    }

    [Fact]
    public void A_call_handed_back_for_an_operator_rings_the_call_takers()
    {
        var runner = Call("from-app", "112", "+77271234567", EngineHandsBack("operator", "almaty"), "PJSIP/calltakers-2");

        Assert.Equal(["PJSIP/calltakers-1", "PJSIP/calltakers-2"], Targets(runner));
    }

    [Fact]
    public void The_fallback_stops_at_the_first_trunk_that_answers()
    {
        var runner = Call("from-pstn", "103", "+77271234567", EngineDown, "PJSIP/ambulance-almaty-2");

        Assert.Equal(["PJSIP/ambulance-almaty-1", "PJSIP/ambulance-almaty-2"], Targets(runner));
        Assert.True(runner.HungUp);
    }

    [Fact]
    public void An_unknown_caller_number_falls_back_to_the_default_region()
    {
        var runner = Call("from-pstn", "104", "", EngineDown);

        Assert.Equal("PJSIP/gas-almaty-1", runner.Dials[0].Target);
    }

    [Fact]
    public void An_sos_button_with_the_engine_down_rings_the_police_of_its_region()
    {
        var runner = Call("from-sos", "112", "+77170000201", EngineDown);

        Assert.Equal("routing112,sos", string.Join(",", Assert.Single(runner.StasisCalls)));
        Assert.Equal("PJSIP/police-astana-1", runner.Dials[0].Target);
    }

    [Fact]
    public void A_hostile_caller_id_cannot_reach_the_dial_string()
    {
        var runner = Call("from-pstn", "102", "8727\";Dial(PJSIP/evil)&PJSIP/evil", EngineDown);

        Assert.Equal(["PJSIP/police-almaty-1", "PJSIP/police-almaty-2", "PJSIP/police-national"], Targets(runner));
    }

    [Fact]
    public void An_agency_name_the_trunks_do_not_know_still_ends_at_the_numbers_own_destination()
    {
        var runner = Call("from-pstn", "101", "+77271234567", EngineHandsBack("fire&PJSIP/evil", "almaty"));

        Assert.DoesNotContain(runner.Dials, d => d.Target.Contains('&', StringComparison.Ordinal));
        Assert.Equal(["PJSIP/fire-almaty-1", "PJSIP/fire-almaty-2", "PJSIP/fire-national"], Targets(runner)[^3..]);
    }

    [Fact]
    public void The_engine_completing_the_call_hangs_up_without_dialling()
    {
        var runner = Call("from-sos", "s", "+77270000101", _ => ("SUCCESS", new Dictionary<string, string>()));

        Assert.Empty(runner.Dials);
        Assert.True(runner.HungUp);
    }

    [Fact]
    public void Agency_trunks_cannot_place_calls()
    {
        var runner = Call("from-agency", "112", "+77271234567", EngineDown);

        Assert.Empty(runner.StasisCalls);
        Assert.Empty(runner.Dials);
        Assert.True(runner.HungUp);
    }
}
