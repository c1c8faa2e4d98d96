using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Routing.Asterisk.Ari;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Engine.Calls;
using Routing.Engine.Hosting;
using Routing.Ledger;

namespace Routing.Engine.Tests;

/// <summary>The reconciler judges what it believed before asking Asterisk, never a call that
/// arrived while the question was on its way.</summary>
public sealed class ReconcilerTests
{
    private static readonly Dictionary<string, string?> Secrets = new()
    {
        ["Asterisk:Ari:Password"] = "test-secret",
        ["Asterisk:Ami:Password"] = "test-secret",
    };

    [Fact]
    public async Task A_call_that_arrives_while_the_app_is_being_listed_is_not_declared_gone()
    {
        var directory = Directory.CreateTempSubdirectory("routing-reconcile-");
        var configuration = EngineConfiguration.Bind(EngineConfiguration.Load(null, new Dictionary<string, string?>(Secrets)
        {
            ["Ledger:ConnectionString"] = $"Data Source={Path.Combine(directory.FullName, "ledger.db")}",
            ["Ledger:Spool:Directory"] = Path.Combine(directory.FullName, "spool"),
        }));
        await using var ledger = await LedgerFactory.CreateAsync(configuration.Ledger, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        var registry = new CallRegistry();
        Call? newcomer = null;
        var ari = new ListingAri(onListing: _ =>
        {
            // StasisStart of a new caller is handled while GET /applications is in flight: the
            // answer Asterisk gives was made before that channel entered the app.
            newcomer = NewCall("1795000000.7", configuration);
            registry.TryAdd(newcomer);
            newcomer.Start();
        });
        var adopted = new AdoptedConversations(ari, ledger.Reader, ledger.Journal, TimeProvider.System, NullLogger<AdoptedConversations>.Instance);
        var recovery = new RestartRecovery(ledger.Reader, ledger.Journal, configuration.Ledger, registry, adopted, TimeProvider.System, NullLogger<RestartRecovery>.Instance);
        var reconciler = new Reconciler(ari, registry, recovery, adopted, new EventStreamBarrier(ari, configuration.Ari, TimeProvider.System), configuration.Ari, Options.Create(configuration.Asterisk), TimeProvider.System, NullLogger<Reconciler>.Instance);

        await reconciler.ReconcileOnceAsync("test", CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.NotNull(newcomer);
        Assert.NotEqual(CallState.Ended, newcomer!.Snapshot.State);
        Assert.Equal(0, ari.ChannelLookups);
        await ledger.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }

    [Fact]
    public async Task A_caller_whose_StasisStart_trails_the_listing_is_served_by_the_engine_not_handed_to_the_dialplan()
    {
        // Asterisk lists a channel in the app before it publishes its StasisStart, and on a busy box
        // the event can trail several listings: the caller below is held on both passes while its
        // StasisStart is still on its way. It reaches the dispatcher only behind the barrier's marker
        // (same app topic in res_stasis.c): exactly the order a real Asterisk guarantees.
        await using var fixture = await Fixture.CreateAsync();
        const string caller = "1795000000.8";
        fixture.Ari.Held.Add(caller);
        fixture.Ari.OnUserEvent = name =>
        {
            fixture.Arrive(caller);
            fixture.Barrier.TryComplete(name);
        };

        await fixture.Reconciler.ReconcileOnceAsync("websocket connected (generation 1)", CancellationToken.None);
        await fixture.Reconciler.ReconcileOnceAsync("periodic sweep", CancellationToken.None);

        Assert.Empty(fixture.Ari.Continued);
        Assert.True(fixture.Registry.TryGetByChannel(caller, out var call), "the caller's call was never created");
        Assert.NotEqual(CallState.Ended, call.Snapshot.State);
    }

    [Fact]
    public async Task A_caller_nobody_serves_is_handed_to_the_dialplan_once_the_event_stream_is_proven_drained()
    {
        await using var fixture = await Fixture.CreateAsync();
        const string caller = "1795000000.9";
        fixture.Ari.Held.Add(caller);
        fixture.Ari.OnUserEvent = name => fixture.Barrier.TryComplete(name);

        await fixture.Reconciler.ReconcileOnceAsync("websocket connected (generation 2)", CancellationToken.None);
        Assert.Empty(fixture.Ari.Continued);
        await fixture.Reconciler.ReconcileOnceAsync("confirming orphan channels", CancellationToken.None);

        Assert.Equal([caller], fixture.Ari.Continued);
        Assert.Equal(1, fixture.Ari.UserEvents);
    }

    [Fact]
    public async Task When_the_event_stream_cannot_be_proven_drained_no_caller_is_handed_over_in_that_pass()
    {
        await using var fixture = await Fixture.CreateAsync();
        const string caller = "1795000000.10";
        fixture.Ari.Held.Add(caller);
        fixture.Ari.OnUserEvent = _ => throw new AriException(System.Net.HttpStatusCode.NotFound, "POST", "/events/user/x", "Application not found");

        await fixture.Reconciler.ReconcileOnceAsync("periodic sweep", CancellationToken.None);
        await fixture.Reconciler.ReconcileOnceAsync("periodic sweep", CancellationToken.None);
        Assert.Empty(fixture.Ari.Continued);

        // Once the proof works again, the still-unowned caller is handed over.
        fixture.Ari.OnUserEvent = name => fixture.Barrier.TryComplete(name);
        await fixture.Reconciler.ReconcileOnceAsync("periodic sweep", CancellationToken.None);
        Assert.Equal([caller], fixture.Ari.Continued);
    }

    /// <summary>A reconciler over a scratch ledger and a scripted Asterisk.</summary>
    private sealed class Fixture : IAsyncDisposable
    {
        private readonly DirectoryInfo directory;
        private readonly Routing.Ledger.Ledger ledger;
        private readonly EngineConfiguration configuration;

        private Fixture(DirectoryInfo directory, Routing.Ledger.Ledger ledger, EngineConfiguration configuration)
        {
            this.directory = directory;
            this.ledger = ledger;
            this.configuration = configuration;
            Barrier = new EventStreamBarrier(Ari, configuration.Ari, TimeProvider.System);
            var adopted = new AdoptedConversations(Ari, ledger.Reader, ledger.Journal, TimeProvider.System, NullLogger<AdoptedConversations>.Instance);
            var recovery = new RestartRecovery(ledger.Reader, ledger.Journal, configuration.Ledger, Registry, adopted, TimeProvider.System, NullLogger<RestartRecovery>.Instance);
            Reconciler = new Reconciler(Ari, Registry, recovery, adopted, Barrier, configuration.Ari, Options.Create(configuration.Asterisk), TimeProvider.System, NullLogger<Reconciler>.Instance);
        }

        public ListingAri Ari { get; } = new(onListing: _ => { });
        public CallRegistry Registry { get; } = new();
        public EventStreamBarrier Barrier { get; }
        public Reconciler Reconciler { get; }

        public static async Task<Fixture> CreateAsync()
        {
            var directory = Directory.CreateTempSubdirectory("routing-reconcile-");
            var configuration = EngineConfiguration.Bind(EngineConfiguration.Load(null, new Dictionary<string, string?>(Secrets)
            {
                ["Ledger:ConnectionString"] = $"Data Source={Path.Combine(directory.FullName, "ledger.db")}",
            }));
            var ledger = await LedgerFactory.CreateAsync(configuration.Ledger, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
            return new Fixture(directory, ledger, configuration);
        }

        /// <summary>What the dispatcher does with a StasisStart: the call exists and owns its channel.</summary>
        public void Arrive(string channelId)
        {
            var call = NewCall(channelId, configuration);
            Assert.True(Registry.TryAdd(call));
            call.Start();
        }

        public async ValueTask DisposeAsync()
        {
            await ledger.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static Call NewCall(string channelId, EngineConfiguration configuration) => new(
        new CallArrival(channelId, "+77271234567", "", "112", ["112"], "en", DateTimeOffset.UtcNow),
        new CallDependencies(new SilentTelephony(), new NoJournal(), new NoObserver(), configuration.Routing, TimeProvider.System));

    /// <summary>An Asterisk whose app holds <see cref="Held"/> (callers in Stasis, dialplan app data
    /// "routing112"); runs a hook while the listing is "in flight" and one when a user event is published.</summary>
    private sealed class ListingAri(Action<ListingAri> onListing) : IAriRestClient
    {
        public int ChannelLookups { get; private set; }

        public List<string> Held { get; } = [];

        public List<string> Continued { get; } = [];

        public int UserEvents { get; private set; }

        public Action<string> OnUserEvent { get; set; } = _ => { };

        public Task<AriApplication> GetApplicationAsync(string application, CancellationToken ct = default)
        {
            var listing = new AriApplication(application, Held.ToArray(), []);
            onListing(this);
            return Task.FromResult(listing);
        }

        public Task<AriChannel> GetChannelAsync(string channelId, CancellationToken ct = default)
        {
            ChannelLookups++;
            if (Held.Contains(channelId) && !Continued.Contains(channelId))
            {
                return Task.FromResult(new AriChannel(channelId, "PJSIP/caller-00000001", "Ring", Dialplan: new AriDialplanLocation("from-caller", "112", 3, "Stasis", "routing112")));
            }

            throw new AriException(System.Net.HttpStatusCode.NotFound, "GET", "/channels/" + channelId, "Channel not found");
        }

        public Task SendUserEventAsync(string application, string eventName, CancellationToken ct = default)
        {
            UserEvents++;
            OnUserEvent(eventName);
            return Task.CompletedTask;
        }

        public Task SetVariableAsync(string channelId, string variable, string? value, CancellationToken ct = default) => Task.CompletedTask;

        public Task ContinueAsync(string channelId, string? context = null, string? extension = null, int? priority = null, string? label = null, CancellationToken ct = default)
        {
            Continued.Add(channelId);
            return Task.CompletedTask;
        }

        public Task<AriAsteriskInfo> GetInfoAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task SetGlobalVariableAsync(string variable, string? value, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriApplication> SubscribeAsync(string application, IReadOnlyList<string> eventSources, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriApplication> UnsubscribeAsync(string application, IReadOnlyList<string> eventSources, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<AriEndpoint>> ListEndpointsAsync(string? technology = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriEndpoint> GetEndpointAsync(string technology, string resource, CancellationToken ct = default) => throw new NotSupportedException();
        public Task SendMessageAsync(string to, string from, string body, IReadOnlyDictionary<string, string>? variables = null, CancellationToken ct = default) => throw new NotSupportedException();

        public Task HoldAsync(string channelId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task UnholdAsync(string channelId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task AddChannelAsync(string bridgeId, IReadOnlyList<string> channelIds, string role, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<AriChannel>> ListChannelsAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriChannel> OriginateAsync(AriOriginateRequest request, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriChannel> CreateChannelAsync(AriOriginateRequest request, CancellationToken ct = default) => throw new NotSupportedException();
        public Task DialAsync(string channelId, string? caller = null, int? timeoutSeconds = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task AnswerAsync(string channelId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task SendDtmfAsync(string channelId, string dtmf, CancellationToken ct = default) => throw new NotSupportedException();
        public Task HangupAsync(string channelId, string? reason = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task RingAsync(string channelId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task StartMohAsync(string channelId, string? mohClass = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task StopMohAsync(string channelId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<string?> GetVariableAsync(string channelId, string variable, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriPlayback> PlayAsync(string channelId, string media, string? playbackId = null, string? lang = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriPlayback> GetPlaybackAsync(string playbackId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task StopPlaybackAsync(string playbackId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriChannel> SnoopAsync(string channelId, string app, string? spy = null, string? whisper = null, IReadOnlyList<string>? appArgs = null, string? snoopId = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriLiveRecording> RecordAsync(string channelId, string name, string format, int? maxDurationSeconds = null, string? ifExists = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriBridge> CreateBridgeAsync(string? bridgeId = null, string? type = null, string? name = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriBridge> GetBridgeAsync(string bridgeId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<AriBridge>> ListBridgesAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task AddChannelAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken ct = default) => throw new NotSupportedException();
        public Task RemoveChannelAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken ct = default) => throw new NotSupportedException();
        public Task DestroyBridgeAsync(string bridgeId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task SetBridgeVideoSourceAsync(string bridgeId, string channelId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task StartBridgeMohAsync(string bridgeId, string? mohClass = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task StopBridgeMohAsync(string bridgeId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<AriApplication>> ListApplicationsAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriApplication> SetEventFilterAsync(string application, IReadOnlyCollection<string>? allowed, IReadOnlyCollection<string>? disallowed, CancellationToken ct = default) => throw new NotSupportedException();
    }

    /// <summary>Telephony that accepts every command and reports nothing back: the call waits in its menu.</summary>
    private sealed class SilentTelephony : ITelephony
    {
        public Task AnswerAsync(string channelId, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task PlayAsync(string channelId, string playbackId, string media, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopPlaybackAsync(string playbackId, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task CreateBridgeAsync(string bridgeId, global::Routing.Calls.Video.BridgeVideo video, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task SetVideoSourceAsync(string bridgeId, string channelId, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task AddToBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RemoveFromBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task DestroyBridgeAsync(string bridgeId, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task DialAsync(DialRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task HangupAsync(string channelId, HangupReason reason, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task SetVariableAsync(string channelId, string name, string value, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task ContinueInDialplanAsync(string channelId, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoJournal : ICallJournal
    {
        public ValueTask CallArrivedAsync(CallRecord call, CancellationToken cancellationToken) => ValueTask.CompletedTask;
        public ValueTask LegPlannedAsync(LegRecord leg, CancellationToken cancellationToken) => ValueTask.CompletedTask;
        public ValueTask AppendAsync(CallEventRecord callEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class NoObserver : ICallObserver
    {
        public void StateChanged(CallState from, CallState to) { }
        public void AgencyAnswered(string agency, string trunk, TimeSpan sinceArrival) { }
        public void LegFailed(string agency, string trunk, string reason) { }
        public void CallEnded(string agency, CallOutcome outcome, TimeSpan duration) { }
        public void ExpectedRaceLost(string command) { }


        public void CallTakerClassified(string? agency, ClassificationKind kind) { }
    }
}
