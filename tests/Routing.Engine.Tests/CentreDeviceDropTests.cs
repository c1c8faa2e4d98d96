using System.Net;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>A desk phone that answers an offer and is gone before (or while) it is put in the caller's bridge.</summary>
public sealed partial class CentreEndToEndTests
{
    [Fact]
    public async Task A_phone_that_drops_as_it_is_bridged_is_paused_device_failed_and_the_caller_keeps_its_place_for_the_next_call_taker()
    {
        // calltaker-1's phone answers and hangs up at once, every time.
        var drops = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20), hangUpAfter: TimeSpan.Zero);
        // However slow this box, a drop right after bridging is still within the window (its bound is the unit tests' concern).
        await using var centre = await StartAsync(
            Phones(("calltaker-1", drops), ("calltaker-2", Answers)),
            new Dictionary<string, string?> { ["Centre:DeviceFailedWithin"] = "00:00:30" });
        await centre.WaitReachableAsync("calltaker-1", "calltaker-2");

        // calltaker-2 is busy with a first caller, so calltaker-1 is the only one who can be offered the next.
        await centre.Api.LoginAsync("boris", "calltaker-2");
        await centre.Harness.Asterisk.PlaceCallAsync(Caller(1), CancellationToken.None);
        var first = await centre.OnCallWithAsync("calltaker-2");
        await centre.Api.LoginAsync("aigerim", "calltaker-1");

        var dropped = await centre.CallIdOfAsync(await centre.Harness.Asterisk.PlaceCallAsync(Caller(2), CancellationToken.None));
        await centre.WaitForCallTakerAsync("calltaker-1", c => c.GetProperty("state").GetString() == "Paused", "paused after its phone dropped");
        var paused = await centre.CallTakerAsync("calltaker-1");
        Assert.Equal("device failed", paused.GetProperty("pauseReason").GetString());

        // A 112 caller who arrives after it must not overtake it: the dropped caller kept its place.
        var later = await centre.CallIdOfAsync(await centre.Harness.Asterisk.PlaceCallAsync(Caller(3), CancellationToken.None));
        await centre.WaitWaitingAsync(2);
        Assert.Equal(HttpStatusCode.Accepted, (await centre.Api.PostAsync("boris", $"/api/calls/{first}/classify", new { kind = "nonEmergency" })).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await centre.Api.PostAsync("boris", $"/api/calls/{first}/hangup", new { reason = "not an emergency" })).Status);
        string? next = null;
        await centre.WaitForCallTakerAsync("calltaker-2", c =>
        {
            next = c.GetProperty("callId").GetString();
            return c.GetProperty("state").GetString() == "OnCall" && next != first;
        }, "on its next call");
        Assert.Equal(dropped, next);
        Assert.NotEqual(later, next);

        var events = Centre.Events(await centre.StoryAsync(dropped));
        var offers = events.Where(e => e.Kind == "offer").Select(e => e.Detail.Split(' ')[0]).ToList();
        Assert.True(offers.SequenceEqual(["calltaker-1", "calltaker-2"]), string.Join(" | ", events));
        Assert.Contains(events, e => e.Kind == "queue.returned" && e.Detail.StartsWith("calltaker-1", StringComparison.Ordinal));
        await centre.Harness.LedgerCaughtUpAsync();
        var position = Centre.Events((await centre.Api.GetAsync("supervisor", "/api/calltakers/calltaker-1/story", "supervisor")).Body);
        Assert.Contains(("calltaker.state", $"OnCall -> Paused: device failed (user aigerim), call {dropped}"), position);
    }
}
