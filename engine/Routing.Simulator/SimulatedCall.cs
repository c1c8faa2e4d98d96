using System.Globalization;
using Routing.Simulator.Core;

namespace Routing.Simulator;

/// <summary>A caller placed through <see cref="SimulatedAsterisk.PlaceCallAsync"/>: what happened to it, and a handle to act as the caller.</summary>
public sealed class SimulatedCall
{
    private readonly Pbx _pbx;
    private readonly DateTimeOffset _start;
    private readonly object _sync = new();
    private readonly List<string> _timeline = new();
    private readonly List<string> _media = new();
    private readonly List<string> _callTakers = new();
    private readonly TaskCompletionSource<CallEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _bridgedWith;
    private volatile string? _fallbackEndpoint;
    private volatile bool _heardMoh;
    private volatile bool _reachedStasis;
    private volatile bool _leftOnTimeout;

    internal SimulatedCall(Pbx pbx, string channelId, CallScript script, DateTimeOffset start)
    {
        _pbx = pbx;
        ChannelId = channelId;
        Script = script;
        _start = start;
        Note(start, $"call from {script.CallerNumber} to {script.Dialed}@{script.Context} on channel {channelId}");
    }

    /// <summary>Asterisk-style uniqueid "&lt;epoch&gt;.&lt;seq&gt;".</summary>
    public string ChannelId { get; }

    public CallScript Script { get; }

    /// <summary>Completes when the caller's channel is gone.</summary>
    public Task<CallEnd> Ended => _ended.Task;

    /// <summary>Human-readable history, each line prefixed with the time since the call started.</summary>
    public IReadOnlyList<string> Timeline
    {
        get { lock (_sync) return _timeline.ToArray(); }
    }

    /// <summary>Endpoint resource of the agency leg the caller was bridged with, if any.</summary>
    public string? BridgedWith
    {
        get => _bridgedWith;
        internal set => _bridgedWith = value;
    }

    /// <summary>The endpoint the dialplan fallback dialled (Stasis failed, or the app handed the call back), if any.</summary>
    public string? FallbackEndpoint
    {
        get => _fallbackEndpoint;
        internal set => _fallbackEndpoint = value;
    }

    /// <summary>True once TIMEOUT(absolute) fired while the caller waited in Stasis (nobody re-armed it: the engine
    /// was gone) and the dialplan's T extension took the caller to the fallback (<see cref="FallbackEndpoint"/>).</summary>
    public bool LeftStasisOnTimeout
    {
        get => _leftOnTimeout;
        internal set => _leftOnTimeout = value;
    }

    /// <summary>Call-taker phones (endpoint resources) the caller was in a mixing bridge with, in order.</summary>
    public IReadOnlyList<string> CallTakers
    {
        get { lock (_sync) return _callTakers.ToArray(); }
    }

    internal bool AddCallTaker(string endpoint)
    {
        lock (_sync)
        {
            if (_callTakers.Contains(endpoint)) return false;
            _callTakers.Add(endpoint);
            return true;
        }
    }

    public bool HeardMusicOnHold
    {
        get => _heardMoh;
        internal set => _heardMoh = value;
    }

    public bool ReachedStasis
    {
        get => _reachedStasis;
        internal set => _reachedStasis = value;
    }

    /// <summary>Media URIs whose playback started on the caller's channel, in order.</summary>
    public IReadOnlyList<string> MediaPlayed
    {
        get { lock (_sync) return _media.ToArray(); }
    }

    /// <summary>The caller hangs up (SIP BYE).</summary>
    public void HangUp() => _pbx.CallerHangsUp(ChannelId);

    /// <summary>The caller presses a digit now (RFC 4733, 280 ms).</summary>
    public void SendDtmf(char digit) => _pbx.CallerSendsDtmf(ChannelId, digit);

    internal void Note(DateTimeOffset now, string what)
    {
        string line = $"+{(now - _start).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)}s {what}";
        lock (_sync) _timeline.Add(line);
    }

    internal void Played(DateTimeOffset now, string media)
    {
        lock (_sync) _media.Add(media);
        Note(now, $"heard {media}");
    }

    internal void Complete(DateTimeOffset now, CallEnd end)
    {
        Note(now, $"ended: hung up by {end.HungUpBy}, cause {end.Cause}");
        _ended.TrySetResult(end);
    }

    public override string ToString() => $"{ChannelId}: " + string.Join(" | ", Timeline);
}
