using System.Text.Json;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>PUT /applications/{app}/eventFilter as applications.json and res/stasis/app.c define it: disallowed types
/// never reach the app, a non-empty allowed list lets only its types through, disallowed wins over allowed.</summary>
public sealed class EventFilterTests
{
    [Fact]
    public async Task A_bridged_call_sends_no_ChannelVarset_to_an_app_that_disallows_it_and_everything_else_as_before()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);

        var filter = await ari.SendAsync("PUT", "/ari/applications/routing112/eventFilter", """{"disallowed": [{"type": "ChannelVarset"}]}""");

        Assert.Equal(200, filter.Status);
        Assert.Equal("""[{"type":"ChannelVarset"}]""", filter.Json.GetProperty("events_disallowed").GetRawText());
        Assert.Equal("[]", filter.Json.GetProperty("events_allowed").GetRawText());
        var types = await BridgedCallAsync(sim, ari, events);
        Assert.DoesNotContain("ChannelVarset", types);
        Assert.Contains("ChannelEnteredBridge", types);
        Assert.Contains("StasisEnd", types);
        Assert.Equal(0, sim.Stats.AriChannelVarsetsSent);
        Assert.True(sim.Stats.AriEventsFiltered >= 30, $"filtered {sim.Stats.AriEventsFiltered}");
    }

    [Fact]
    public async Task Without_a_filter_the_same_call_brings_the_traces_33_ChannelVarset_events()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);

        var types = await BridgedCallAsync(sim, ari, events);

        Assert.Equal(33, types.Count(t => t == "ChannelVarset"));
        Assert.Equal(33, sim.Stats.AriChannelVarsetsSent);
    }

    [Fact]
    public async Task An_allowed_list_lets_only_its_types_through_and_disallowed_wins_over_it()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);

        await ari.SendAsync("PUT", "/ari/applications/routing112/eventFilter",
            """{"allowed": [{"type": "StasisStart"}, {"type": "StasisEnd"}, {"type": "ChannelVarset"}], "disallowed": [{"type": "ChannelVarset"}]}""");
        var types = await BridgedCallAsync(sim, ari, events);

        Assert.Equal(["StasisEnd", "StasisStart"], types.Distinct().Order());
    }

    [Fact]
    public async Task An_empty_body_clears_both_lists_and_a_missing_list_is_left_as_it_was()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        await ari.SendAsync("PUT", "/ari/applications/routing112/eventFilter", """{"allowed": [{"type": "StasisStart"}], "disallowed": [{"type": "Dial"}]}""");

        var onlyDisallowed = await ari.SendAsync("PUT", "/ari/applications/routing112/eventFilter", """{"disallowed": []}""");
        var cleared = await ari.SendAsync("PUT", "/ari/applications/routing112/eventFilter");

        Assert.Equal("""[{"type":"StasisStart"}]""", onlyDisallowed.Json.GetProperty("events_allowed").GetRawText());
        Assert.Equal("[]", onlyDisallowed.Json.GetProperty("events_disallowed").GetRawText());
        Assert.Equal(("[]", "[]"), (cleared.Json.GetProperty("events_allowed").GetRawText(), cleared.Json.GetProperty("events_disallowed").GetRawText()));
    }

    [Theory]
    [InlineData("/ari/applications/nosuchapp/eventFilter", """{"disallowed": [{"type": "ChannelVarset"}]}""", 404)]
    [InlineData("/ari/applications/routing112/eventFilter", """{"disallowed": "ChannelVarset"}""", 400)]
    [InlineData("/ari/applications/routing112/eventFilter", """{"disallowed": [{"name": "ChannelVarset"}]}""", 400)]
    public async Task A_filter_for_an_unknown_app_or_in_a_bad_shape_is_refused_and_changes_nothing(string path, string body, int status)
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);

        var reply = await ari.SendAsync("PUT", path, body);

        Assert.Equal(status, reply.Status);
        Assert.Empty(sim.EventsDisallowed("routing112"));
    }

    /// <summary>The trace's call: answer, originate the fire trunk, bridge both, caller and agency hung up by the app.
    /// Waits on the simulator's own state, not on events, so it works whatever the filter lets through; returns the
    /// types of every event the socket received, once it has received all the simulator sent it.</summary>
    private static async Task<List<string>> BridgedCallAsync(SimulatedAsterisk sim, AriClient ari, EventStream events)
    {
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        string id = call.ChannelId, fire = "fire-" + id;
        await Wait.UntilAsync(() => sim.LiveChannelIds.Contains(id), $"caller {id}");
        await ari.Post($"/ari/channels/{id}/answer");
        var bridge = await ari.Post("/ari/bridges?type=mixing");
        string bridgeId = bridge.Json.GetProperty("id").GetString()!;
        await ari.Post($"/ari/channels?endpoint=PJSIP%2Ffire&app=routing112&appArgs=dialed%2Cfire%2C{id}&channelId={fire}");
        await WaitUntilInStasisAndUpAsync(ari, fire);
        await ari.Post($"/ari/bridges/{bridgeId}/addChannel?channel={id}%2C{fire}");
        await ari.Delete($"/ari/channels/{id}?reason=normal");
        await ari.Delete($"/ari/channels/{fire}");
        await ari.Delete($"/ari/bridges/{bridgeId}");
        await Wait.ForAsync(call.Ended);
        await Wait.UntilAsync(() => sim.LiveChannelIds.Count == 0 && sim.LiveBridgeIds.Count == 0, "the call to be gone");
        await Wait.UntilAsync(() => events.All.Count == sim.Stats.AriEventsSent, "every event sent to reach the socket");
        return events.All.Select(f => JsonDocument.Parse(f).RootElement.GetProperty("type").GetString()!).ToList();
    }

    /// <summary>Polls the channel (bounded) until the trunk answered and it entered Stasis.</summary>
    private static async Task WaitUntilInStasisAndUpAsync(AriClient ari, string channelId)
    {
        for (var i = 0; i < 250; i++)
        {
            var channel = await ari.Get($"/ari/channels/{channelId}");
            if (channel.Status == 200 && channel.Json.GetProperty("state").GetString() == "Up"
                && channel.Json.GetProperty("dialplan").GetProperty("app_name").GetString() == "Stasis") return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"{channelId} never answered into Stasis");
    }
}
