using Routing.Calls.Ports;

namespace Routing.Calls.Tests.Fakes;

/// <summary>Records every command as text (e.g. <c>play caller-1 sound:112/ru/greeting</c>) and can be
/// told to fail a command or to hang until its cancellation token fires.</summary>
public sealed class FakeTelephony(EventLog log) : ITelephony
{
    private readonly List<(Func<string, bool> Match, Func<Exception> Error)> _failures = [];
    private readonly List<Func<string, bool>> _hangs = [];
    private readonly List<string> _commands = [];

    public List<DialRequest> Dials { get; } = [];

    public List<(string Channel, string Id, string Media)> Plays { get; } = [];

    public Dictionary<string, string> Variables { get; } = [];

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_commands) return _commands.ToList();
        }
    }

    /// <summary>Commands whose text starts with <paramref name="prefix"/> throw.</summary>
    public void Fail(string prefix, bool resourceGone = false, int times = int.MaxValue)
    {
        var left = times;
        _failures.Add((c => c.StartsWith(prefix, StringComparison.Ordinal) && left-- > 0,
            () => new TelephonyException(prefix.Split(' ')[0], resourceGone ? "Channel not found" : "Internal Server Error", resourceGone)));
    }

    /// <summary>Commands whose text starts with <paramref name="prefix"/> never complete on their own.</summary>
    public void Hang(string prefix) => _hangs.Add(c => c.StartsWith(prefix, StringComparison.Ordinal));

    private Task Record(string command, CancellationToken ct)
    {
        lock (_commands) _commands.Add(command);
        log.Add("telephony:" + command);
        foreach (var (match, error) in _failures)
        {
            if (match(command)) return Task.FromException(error());
        }
        if (_hangs.Any(h => h(command))) return Task.Delay(Timeout.Infinite, ct);
        return Task.CompletedTask;
    }

    public Task AnswerAsync(string channelId, CancellationToken cancellationToken) => Record($"answer {channelId}", cancellationToken);

    public Task PlayAsync(string channelId, string playbackId, string media, CancellationToken cancellationToken)
    {
        lock (Plays) Plays.Add((channelId, playbackId, media));
        return Record($"play {channelId} {media}", cancellationToken);
    }

    public Task StopPlaybackAsync(string playbackId, CancellationToken cancellationToken) => Record($"stopPlayback {playbackId}", cancellationToken);

    public Task StartMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) => Record($"startMoh {channelId}", cancellationToken);

    public Task StopMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) => Record($"stopMoh {channelId}", cancellationToken);

    public Task CreateBridgeAsync(string bridgeId, global::Routing.Calls.Video.BridgeVideo video, CancellationToken cancellationToken) =>
        Record(video == global::Routing.Calls.Video.BridgeVideo.None ? $"createBridge {bridgeId}" : $"createBridge {bridgeId} video {video}", cancellationToken);

    public Task SetVideoSourceAsync(string bridgeId, string channelId, CancellationToken cancellationToken) => Record($"videoSource {bridgeId} {channelId}", cancellationToken);

    public Task AddToBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken) =>
        Record($"addToBridge {bridgeId} {string.Join(",", channelIds)}", cancellationToken);

    public Task RemoveFromBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken) =>
        Record($"removeFromBridge {bridgeId} {string.Join(",", channelIds)}", cancellationToken);

    public Task DestroyBridgeAsync(string bridgeId, CancellationToken cancellationToken) => Record($"destroyBridge {bridgeId}", cancellationToken);

    public Task DialAsync(DialRequest request, CancellationToken cancellationToken)
    {
        lock (Dials) Dials.Add(request);
        return Record($"dial {request.LegChannelId} {request.Endpoint}", cancellationToken);
    }

    public Task HangupAsync(string channelId, HangupReason reason, CancellationToken cancellationToken) => Record($"hangup {channelId} {reason}", cancellationToken);

    public Task SetVariableAsync(string channelId, string name, string value, CancellationToken cancellationToken)
    {
        lock (Variables) Variables[name] = value;
        return Record($"setVariable {channelId} {name}={value}", cancellationToken);
    }

    public Task ContinueInDialplanAsync(string channelId, CancellationToken cancellationToken) => Record($"continue {channelId}", cancellationToken);

    /// <summary>Each channel's negotiated video formats. Left empty, this telephony cannot tell (null, nothing recorded);
    /// once set, a channel not in it carries no video.</summary>
    public Dictionary<string, string[]> VideoFormats { get; } = [];

    public async Task<IReadOnlyList<string>?> VideoFormatsAsync(string channelId, CancellationToken cancellationToken)
    {
        if (VideoFormats.Count == 0) return null;
        await Record($"videoFormats {channelId}", cancellationToken);
        return VideoFormats.GetValueOrDefault(channelId) ?? [];
    }
}
