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
        }));
        await using var ledger = await LedgerFactory.CreateAsync(configuration.Ledger, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        var registry = new CallRegistry();
        Call? newcomer = null;
        var ari = new ListingAri(onListing: () =>
        {
            // StasisStart of a new caller is handled while GET /applications is in flight: the
            // answer Asterisk gives was made before that channel entered the app.
            newcomer = NewCall("1795000000.7", configuration);
            registry.TryAdd(newcomer);
            newcomer.Start();
        });
        var recovery = new RestartRecovery(ledger.Reader, ledger.Journal, configuration.Ledger, registry, TimeProvider.System, NullLogger<RestartRecovery>.Instance);
        var reconciler = new Reconciler(ari, registry, recovery, configuration.Ari, Options.Create(configuration.Asterisk), TimeProvider.System, NullLogger<Reconciler>.Instance);

        await reconciler.ReconcileOnceAsync("test", CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.NotNull(newcomer);
        Assert.NotEqual(CallState.Ended, newcomer!.Snapshot.State);
        Assert.Equal(0, ari.ChannelLookups);
        await ledger.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }

    private static Call NewCall(string channelId, EngineConfiguration configuration) => new(
        new CallArrival(channelId, "+77271234567", "", "112", ["112"], "en", DateTimeOffset.UtcNow),
        new CallDependencies(new SilentTelephony(), new NoJournal(), new NoObserver(), configuration.Routing, TimeProvider.System));

    /// <summary>An Asterisk whose app holds nothing; runs a hook while the listing is "in flight".</summary>
    private sealed class ListingAri(Action onListing) : IAriRestClient
    {
        public int ChannelLookups { get; private set; }

        public Task<AriApplication> GetApplicationAsync(string application, CancellationToken ct = default)
        {
            onListing();
            return Task.FromResult(new AriApplication(application, [], []));
        }

        public Task<AriChannel> GetChannelAsync(string channelId, CancellationToken ct = default)
        {
            ChannelLookups++;
            throw new AriException(System.Net.HttpStatusCode.NotFound, "GET", "/channels/" + channelId, "Channel not found");
        }

        public Task<AriAsteriskInfo> GetInfoAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriApplication> SubscribeAsync(string application, IReadOnlyList<string> eventSources, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriApplication> UnsubscribeAsync(string application, IReadOnlyList<string> eventSources, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<AriEndpoint>> ListEndpointsAsync(string? technology = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<AriEndpoint> GetEndpointAsync(string technology, string resource, CancellationToken ct = default) => throw new NotSupportedException();
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
        public Task ContinueAsync(string channelId, string? context = null, string? extension = null, int? priority = null, string? label = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<string?> GetVariableAsync(string channelId, string variable, CancellationToken ct = default) => throw new NotSupportedException();
        public Task SetVariableAsync(string channelId, string variable, string? value, CancellationToken ct = default) => throw new NotSupportedException();
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
        public Task StartBridgeMohAsync(string bridgeId, string? mohClass = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task StopBridgeMohAsync(string bridgeId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<AriApplication>> ListApplicationsAsync(CancellationToken ct = default) => throw new NotSupportedException();
    }

    /// <summary>Telephony that accepts every command and reports nothing back: the call waits in its menu.</summary>
    private sealed class SilentTelephony : ITelephony
    {
        public Task AnswerAsync(string channelId, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task PlayAsync(string channelId, string playbackId, string media, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopPlaybackAsync(string playbackId, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task CreateBridgeAsync(string bridgeId, CancellationToken cancellationToken) => Task.CompletedTask;
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

        public void CallTakerClassified(string? agency, ClassificationKind kind) { }
    }
}
