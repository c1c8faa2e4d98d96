using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Engine.Calls;
using Routing.Simulator;

namespace Routing.Engine.Tests.Text;

/// <summary>
/// The text endpoints' subscriptions outlive the websocket, and Asterisk destroys an app only when it unregisters
/// holding nothing (res_stasis.c cleanup): a clean stop drops them before it closes the websocket, so Asterisk no longer
/// lists the app, inactive, after the engine has gone (issue 6). Bounded, logged when it fails, and never in the way of
/// the callers being handed to the dialplan.
/// </summary>
public sealed class EndpointSubscriptionsAtStopTests
{
    [Fact]
    public async Task A_clean_stop_drops_the_text_endpoint_subscriptions_so_Asterisk_forgets_the_app()
    {
        await using var text = await TextHarness.StartAsync(login: false);
        var harness = text.Harness;
        using var ari = new AriRestClient(harness.Configuration.Ari);
        AriApplication before = null!;
        await harness.WaitUntilAsync(
            async () => (before = (await ari.GetApplicationAsync("routing112"))).EndpointIds?.Count == 3,
            "the gateway's and both agency desks' endpoints subscribed");
        Assert.Contains("PJSIP/appgw", before.EndpointIds!);

        await harness.Engine.StopAsync();
        await harness.WaitUntilAsync(() => harness.Asterisk.ConnectedEventSockets == 0, "the engine's websocket to close");

        var gone = await Assert.ThrowsAsync<AriException>(() => ari.GetApplicationAsync("routing112"));
        Assert.True(gone.IsNotFound, gone.Message);
        var deletes = harness.Asterisk.Requests.Where(r => r.Method == "DELETE" && r.Path.EndsWith("/subscription", StringComparison.Ordinal)).ToList();
        Assert.All(deletes, d => Assert.Equal(200, d.Status));
        Assert.Equal(before.EndpointIds!.Order(StringComparer.Ordinal), deletes.Select(d => Uri.UnescapeDataString(d.Query).Split("endpoint:")[1]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_Asterisk_that_does_not_answer_the_unsubscribe_costs_a_bounded_wait_a_logged_warning_and_no_caller_is_kept_from_the_dialplan()
    {
        // Agencies ring for a minute: a 101 caller is still waiting when the engine stops.
        await using var harness = await EngineHarness.StartAsync(
            o =>
            {
                TextHarness.Simulator(o);
                o.UnknownEndpointBehavior = TrunkBehavior.Answers(TimeSpan.FromSeconds(60));
            },
            TextHarness.Settings());
        await harness.WaitUntilAsync(
            () => harness.Asterisk.Requests.Any(r => r.Method == "POST" && r.Path.EndsWith("/subscription", StringComparison.Ordinal) && r.Query.Contains("appgw", StringComparison.Ordinal) && r.Status == 200),
            "the engine to subscribe to the text gateway");
        harness.Asterisk.StallRequests("DELETE", "subscription", count: 100);
        using var ari = new AriRestClient(harness.Configuration.Ari);

        // Asterisk holds the DELETE: the bound ends the wait and the warning names what Asterisk still has.
        var logger = new RecordingLogger<EndpointSubscriptions>();
        await new EndpointSubscriptions(ari, harness.Configuration.Ari, TimeProvider.System, logger).DropAsync(CancellationToken.None);
        var warning = Assert.Single(logger.Entries, e => e.Id == 1601);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("PJSIP/appgw", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"Asterisk did not answer within {EndpointSubscriptions.Limit}", warning.Message, StringComparison.Ordinal);

        // The engine's own stop meets the same Asterisk: a caller waiting for a call-taker still reaches the dialplan.
        var caller = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271234000", "101", HangUpAfter: TimeSpan.FromSeconds(60)), CancellationToken.None);
        await harness.WaitUntilAsync(() => harness.Engine.Calls.Count == 1 && harness.Asterisk.LiveChannelIds.Count == 2, "the caller waiting while the fire trunk rings");
        await harness.Engine.StopAsync();
        await harness.WaitUntilAsync(() => caller.FallbackEndpoint is not null, "the waiting caller handed to the dialplan fallback");
        await harness.WaitUntilAsync(() => harness.Asterisk.ConnectedEventSockets == 0, "the engine's websocket to close");

        // Truthfully so: the subscriptions could not be dropped, so the app is still listed.
        Assert.Contains("PJSIP/appgw", (await ari.GetApplicationAsync("routing112")).EndpointIds ?? []);
    }

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        private readonly List<(int Id, LogLevel Level, string Message)> entries = [];

        public IReadOnlyList<(int Id, LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (entries)
                {
                    return entries.ToList();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (entries)
            {
                entries.Add((eventId.Id, logLevel, formatter(state, exception)));
            }
        }
    }
}
