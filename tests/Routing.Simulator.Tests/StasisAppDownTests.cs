using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>stasis-app-down.txt: with no websocket for the app, Stasis() fails at once and the dialplan dials the fallback.</summary>
public sealed class StasisAppDownTests
{
    private static string Field(string message, string key) =>
        message.Split("\r\n").FirstOrDefault(l => l.StartsWith(key + ": ", StringComparison.Ordinal))?[(key.Length + 2)..] ?? "";

    private static string Describe(string m)
    {
        string ev = Field(m, "Event");
        return ev switch
        {
            "VarSet" => $"VarSet {Field(m, "Channel")} {Field(m, "Variable")}={Field(m, "Value")}",
            "Newexten" => $"Newexten {Field(m, "Channel")} {Field(m, "Priority")} {Field(m, "Application")}",
            "DialBegin" or "DialState" or "DialEnd" => $"{ev} {Field(m, "Channel")} -> {Field(m, "DestChannel")} {Field(m, "DialStatus")}",
            "Hangup" => $"Hangup {Field(m, "Channel")} {Field(m, "Cause")} {Field(m, "Cause-txt")}",
            _ => $"{ev} {Field(m, "Channel")}",
        };
    }

    private static readonly string[] Interesting = ["Newchannel", "Newexten", "VarSet", "DialBegin", "DialState", "DialEnd", "BridgeEnter", "Hangup"];

    /// <summary>The caller-side story of ami-stasis-app-down.txt, with the channel names of that recording.</summary>
    private static string[] TraceStory()
    {
        var messages = Traces.Text("ami-stasis-app-down.txt").Split("\r\n\r\n");
        return messages.Where(m => Interesting.Contains(Field(m, "Event")))
            .Where(m => Field(m, "Event") != "VarSet" || Field(m, "Variable") is "STASISSTATUS")
            .Where(m => !(Field(m, "Event") == "Newexten" && Field(m, "Channel").StartsWith("PJSIP/police")))
            .Select(Describe).ToArray();
    }

    [Fact]
    public async Task A_call_with_no_app_websocket_fails_Stasis_and_dials_the_fallback_visibly_on_AMI()
    {
        await using var sim = await Sims.StartAsync();
        await using var ami = await AmiClient.ConnectAsync(sim);

        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await Wait.UntilAsync(() => call.BridgedWith == "police", "the fallback to police was answered");
        call.HangUp();
        var end = await Wait.ForAsync(call.Ended);

        Assert.Equal(new CallEnd("caller", 16, ReachedStasis: false, FallbackEndpoint: "police", BridgedWith: "police"), end);
        Assert.Equal("police", call.FallbackEndpoint);
        await ami.WaitForMessageAsync(m => m.StartsWith("Event: Hangup\r\n") && m.Contains("Channel: PJSIP/police-"), "police leg hangup on AMI");

        // Same story as the recording, with our channel numbering.
        string caller = $"PJSIP/caller-00000000", police = "PJSIP/police-00000001";
        var ours = ami.Messages.Where(m => Interesting.Contains(Field(m, "Event")))
            .Where(m => Field(m, "Event") != "VarSet" || Field(m, "Variable") is "STASISSTATUS")
            .Where(m => !(Field(m, "Event") == "Newexten" && Field(m, "Channel").StartsWith("PJSIP/police")))
            .Select(Describe).ToArray();
        Assert.Equal(TraceStory(), ours);
        Assert.Contains($"VarSet {caller} STASISSTATUS=FAILED", ours);
        Assert.Contains($"DialBegin {caller} -> {police} ", ours);
    }

    [Fact]
    public async Task An_app_that_still_holds_a_channel_but_lost_its_websocket_is_inactive_and_new_calls_fall_back()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        var events = await EventStream.ConnectAsync(sim);
        var first = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        await events.CloseAsync();
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 0, "the socket is gone");
        Assert.Equal(200, (await ari.Get("/ari/applications/routing112")).Status);

        var second = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);

        Assert.False(second.ReachedStasis);
        Assert.Equal("police", second.FallbackEndpoint);
        var variable = await ari.Get($"/ari/channels/{second.ChannelId}/variable?variable=STASISSTATUS");
        Assert.Equal("""{"value":"FAILED"}""", variable.Body);
        Assert.Equal(409, (await ari.Post($"/ari/channels/{second.ChannelId}/answer")).Status);
        Assert.True(first.ReachedStasis);
        await events.DisposeAsync();
    }

    [Fact]
    public async Task A_fallback_to_a_busy_trunk_ends_the_call_in_the_dialplan_with_the_busy_cause()
    {
        await using var sim = await Sims.StartAsync(o => o.Trunks["police"] = TrunkBehavior.Busy(TimeSpan.FromMilliseconds(20)));
        await using var ami = await AmiClient.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);

        var end = await Wait.ForAsync(call.Ended);

        Assert.Equal(new CallEnd("dialplan", 17, false, "police", null), end);
        await ami.WaitForMessageAsync(m => m.Contains("Variable: DIALSTATUS\r\nValue: BUSY"), "DIALSTATUS=BUSY on AMI");
    }
}
