using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>
/// ARI continue with context / extension / priority / label, as res/ari/resource_channels.c
/// ast_ari_channels_continue_in_dialplan resolves them. The engine hands calls back with
/// <c>label=fallback</c>, which must run the fallback whether or not ROUTING112_FAILOVER was set.
/// </summary>
public sealed class ContinueTests
{
    private static async Task<(SimulatedAsterisk Sim, AriClient Ari, EventStream Events, SimulatedCall Call)> InStasisAsync(
        CallScript script, Action<SimulatorOptions>? configure = null)
    {
        var sim = await Sims.StartAsync(configure);
        var ari = new AriClient(sim);
        var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(script, CancellationToken.None);
        await events.UntilAsync("StasisStart");
        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/answer")).Status);
        return (sim, ari, events, call);
    }

    [Theory]
    [InlineData("from-caller", "112", "police")]
    [InlineData("from-caller", "103", "ambulance")]
    [InlineData("from-sos", "pole-17", "police")]
    [InlineData("from-app", "*", "police")]
    public async Task Label_fallback_without_any_variable_dials_the_extensions_default(string context, string dialled, string fallback)
    {
        var (sim, ari, events, call) = await InStasisAsync(new CallScript("+77271234567", dialled, Context: context),
            o =>
            {
                o.Dialplan = DialplanOptions.Default; // the engine's contract: from-caller, from-sos, from-app
                o.Trunks[fallback] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(10));
            });
        await using var _ = sim;
        await using var __ = events;
        using var ___ = ari;

        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/continue?label=fallback")).Status);
        await events.UntilAsync("StasisEnd");
        await Wait.UntilAsync(() => call.BridgedWith == fallback, $"the fallback to {fallback} answered");
        call.HangUp();
        var end = await Wait.ForAsync(call.Ended);

        Assert.Equal(new CallEnd("caller", 16, true, fallback, fallback), end);
        Assert.Equal(fallback, call.FallbackEndpoint);
    }

    [Theory]
    [InlineData("fire-almaty-1", null, "fire-almaty-1")]
    [InlineData(null, "fire", "fire")]
    public async Task Label_fallback_follows_the_endpoint_or_agency_the_engine_set(string? endpoint, string? agency, string dialled)
    {
        var (sim, ari, events, call) = await InStasisAsync(Sims.TestCaller("112"), o => o.Trunks[dialled] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(10)));
        await using var _ = sim;
        await using var __ = events;
        using var ___ = ari;
        var id = call.ChannelId;
        if (endpoint is not null) await ari.Post($"/ari/channels/{id}/variable?variable=ROUTING112_FALLBACK_ENDPOINT&value={endpoint}");
        if (agency is not null) await ari.Post($"/ari/channels/{id}/variable?variable=ROUTING112_AGENCY&value={agency}");

        Assert.Equal(204, (await ari.Post($"/ari/channels/{id}/continue", """{"label":"fallback"}""")).Status);
        await Wait.UntilAsync(() => call.BridgedWith == dialled, $"the fallback to {dialled} answered");

        Assert.Equal(dialled, call.FallbackEndpoint);
    }

    [Fact]
    public async Task An_unknown_label_is_refused_as_asterisk_does_and_the_call_stays_in_stasis()
    {
        var (sim, ari, events, call) = await InStasisAsync(Sims.TestCaller("101"));
        await using var _ = sim;
        await using var __ = events;
        using var ___ = ari;

        var reply = await ari.Post($"/ari/channels/{call.ChannelId}/continue?label=Fallback");

        Assert.Equal(404, reply.Status);
        Assert.Equal("Requested label can not be found", reply.Json.GetProperty("message").GetString());
        Assert.Equal(200, (await ari.Get($"/ari/channels/{call.ChannelId}")).Status);
        Assert.False(call.Ended.IsCompleted);
        Assert.Null(call.FallbackEndpoint);
    }

    [Fact]
    public async Task A_label_in_an_extension_the_dialplan_does_not_have_is_not_found()
    {
        var (sim, ari, events, call) = await InStasisAsync(Sims.TestCaller("112"));
        await using var _ = sim;
        await using var __ = events;
        using var ___ = ari;

        var reply = await ari.Post($"/ari/channels/{call.ChannelId}/continue?context=from-caller&extension=999&label=fallback");

        Assert.Equal(404, reply.Status);
        Assert.Equal("Requested label can not be found", reply.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Label_zero_is_an_illegal_priority()
    {
        var (sim, ari, events, call) = await InStasisAsync(Sims.TestCaller("112"));
        await using var _ = sim;
        await using var __ = events;
        using var ___ = ari;

        var reply = await ari.Post($"/ari/channels/{call.ChannelId}/continue?label=0");

        Assert.Equal(400, reply.Status);
        Assert.Equal("Requested priority is illegal", reply.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_numeric_label_or_priority_of_the_fallback_runs_it_like_the_label()
    {
        var (sim, ari, events, call) = await InStasisAsync(Sims.TestCaller("104"), o =>
        {
            o.Dialplan = DialplanOptions.Default;
            o.Trunks["gas"] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(10));
        });
        await using var _ = sim;
        await using var __ = events;
        using var ___ = ari;

        // Stasis at 2, GotoIf 3, Hangup 4, n(fallback) 5.
        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/continue?priority=5")).Status);

        await Wait.UntilAsync(() => call.BridgedWith == "gas", "the fallback to gas answered");
    }

    [Fact]
    public async Task Continue_into_another_extensions_fallback_uses_that_extensions_default()
    {
        var (sim, ari, events, call) = await InStasisAsync(Sims.TestCaller("112"), o => o.Trunks["fire"] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(10)));
        await using var _ = sim;
        await using var __ = events;
        using var ___ = ari;

        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/continue?extension=101&label=fallback")).Status);

        await Wait.UntilAsync(() => call.BridgedWith == "fire", "the fallback to fire answered");
    }

    [Fact]
    public async Task Continue_to_the_hangup_priority_hangs_up_even_with_failover_set()
    {
        var (sim, ari, events, call) = await InStasisAsync(Sims.TestCaller("112"));
        await using var _ = sim;
        await using var __ = events;
        using var ___ = ari;
        await ari.Post($"/ari/channels/{call.ChannelId}/variable?variable=ROUTING112_FAILOVER&value=1");

        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/continue?priority=4")).Status);
        var end = await Wait.ForAsync(call.Ended);

        Assert.Equal(new CallEnd("dialplan", 16, true, null, null), end);
    }

    [Fact]
    public async Task Continue_into_an_extension_that_does_not_exist_hangs_up()
    {
        var (sim, ari, events, call) = await InStasisAsync(Sims.TestCaller("112"));
        await using var _ = sim;
        await using var __ = events;
        using var ___ = ari;

        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/continue?context=nowhere")).Status);
        var end = await Wait.ForAsync(call.Ended);

        Assert.Equal("dialplan", end.HungUpBy);
        Assert.Null(end.FallbackEndpoint);
        Assert.Contains(call.Timeline, l => l.Contains("no dialplan extension s@nowhere"));
    }

    [Fact]
    public async Task Running_stasis_again_from_a_continue_is_not_simulated_and_changes_nothing()
    {
        var (sim, ari, events, call) = await InStasisAsync(Sims.TestCaller("112"));
        await using var _ = sim;
        await using var __ = events;
        using var ___ = ari;

        Assert.Equal(501, (await ari.Post($"/ari/channels/{call.ChannelId}/continue?priority=1")).Status);

        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/ring")).Status); // still in Stasis
    }
}
