using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Routing.Asterisk.Ami;

/// <summary>
/// An AMI client: logs in with Events: on, sends actions and pairs their responses by our own ActionIDs,
/// and writes events to one bounded single-reader channel (<see cref="Events"/>) without ever waiting on the
/// consumer. It reconnects with backoff when the connection drops; actions in flight then fail, and mutating
/// ones (Originate, Redirect, Hangup) with <see cref="AmiResultUnknownException"/>: they are never re-sent.
/// </summary>
public sealed class AmiConnection : IAsyncDisposable
{
    private readonly AmiOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly AmiActionRouter _router = new();
    private readonly Channel<AmiStreamItem> _channel;
    private readonly CountedDropWriter<AmiStreamItem> _writer;
    private readonly ReconnectBackoff _backoff;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _gate = new();

    private AmiSession? _session;
    private AmiConnectionStatus _status = AmiConnectionStatus.Disconnected;
    private long _generation;
    private long _actionCounter;
    private long _malformed;
    private string? _lastError;
    private DateTimeOffset? _lastReadAt;
    private Task? _supervisor;
    private volatile bool _closing;

    public AmiConnection(AmiOptions options, ILogger<AmiConnection>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid AMI options: " + string.Join("; ", errors), nameof(options));
        _options = options;
        _logger = logger ?? NullLogger<AmiConnection>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _channel = Channel.CreateBounded<AmiStreamItem>(new BoundedChannelOptions(options.EventBufferCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails and we count; nothing is dropped silently
        });
        _writer = new CountedDropWriter<AmiStreamItem>(_channel.Writer, count => new AmiEventsLost(count));
        _backoff = new ReconnectBackoff(options.ReconnectMinDelay, options.ReconnectMaxDelay);
    }

    /// <summary>Events and markers in arrival order. Completes when the connection is disposed.</summary>
    public ChannelReader<AmiStreamItem> Events => _channel.Reader;

    public AmiConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return new AmiConnectionState(_status, _generation, _session?.Banner, _lastError, _session?.LastReadAt ?? _lastReadAt,
                    _router.PendingCount, _router.UnsolicitedCount, Interlocked.Read(ref _malformed), _writer.TotalLost);
            }
        }
    }

    /// <summary>Connects and logs in. Throws <see cref="AmiLoginException"/> if Asterisk refuses the credentials and
    /// <see cref="AmiConnectException"/> if it cannot be reached. After success, reconnects by itself until disposed.</summary>
    public async Task ConnectAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_status != AmiConnectionStatus.Disconnected) throw new InvalidOperationException($"AMI connection is already {_status}");
            _status = AmiConnectionStatus.Connecting;
        }
        AmiSession session;
        try
        {
            session = await OpenSessionAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate) _status = AmiConnectionStatus.Disconnected;
            throw;
        }
        _supervisor = SuperviseAsync(session, _lifetime.Token);
    }

    /// <summary>Connects in the background and keeps reconnecting until disposed; never throws for an absent or
    /// refusing Asterisk. Progress shows on <see cref="Events"/> (AmiConnectFailed, AmiConnected) and in <see cref="State"/>.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_status != AmiConnectionStatus.Disconnected) throw new InvalidOperationException($"AMI connection is already {_status}");
            _status = AmiConnectionStatus.Connecting;
        }
        _supervisor = SuperviseAsync(null, _lifetime.Token);
    }

    public async Task<AmiResponse> SendAsync(AmiAction action, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var session = Volatile.Read(ref _session) ?? throw new AmiNotConnectedException(action.Name, DescribeState());
        return await SendOnAsync(session, action, ct).ConfigureAwait(false);
    }

    public Task<AmiResponse> PingAsync(CancellationToken ct = default) => SendAsync(AmiAction.Ping(), ct);

    /// <summary>Runs a CLI command; the lines are in <see cref="AmiResponse.Output"/>.</summary>
    public Task<AmiResponse> CommandAsync(string command, CancellationToken ct = default) => SendAsync(AmiAction.Command(command), ct);

    /// <summary>Says goodbye and stops reconnecting.</summary>
    public async Task<AmiResponse> LogoffAsync(CancellationToken ct = default)
    {
        _closing = true;
        return await SendAsync(AmiAction.Logoff(), ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        await _lifetime.CancelAsync().ConfigureAwait(false); // ends every session's read loop and any reconnect wait
        if (_supervisor is not null) await _supervisor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_gate) _status = AmiConnectionStatus.Closed;
        _writer.Dispose();
        _channel.Writer.TryComplete();
    }

    // ---- sessions

    private async Task<AmiSession> OpenSessionAsync(CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token, _lifetime.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_options.Host, _options.Port, linked.Token).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new AmiConnectException(_options.Endpoint, ex.Message, ex);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new AmiConnectException(_options.Endpoint, $"no TCP connection within {_options.ConnectTimeout.TotalMilliseconds:0} ms");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var session = new AmiSession(socket, Interlocked.Read(ref _generation) + 1, _time, _lifetime.Token);
        session.Start(_options.MaxMessageBytes, OnFrame);
        var login = AmiAction.Login(_options.User, _options.Password, _options.ReceiveEvents);
        var loginId = NextActionId();
        session.LoginActionId = loginId;
        var pending = _router.Register(loginId, login, session.Generation);
        try
        {
            await session.WriteAsync(login.Serialize(loginId), linked.Token).ConfigureAwait(false);
            var first = await Task.WhenAny(pending.Response, session.Completion).WaitAsync(linked.Token).ConfigureAwait(false);
            if (first != pending.Response)
                throw new AmiConnectException(_options.Endpoint, "connection ended during login: " + await session.Completion.ConfigureAwait(false));
            var response = await pending.Response.ConfigureAwait(false);
            if (!response.IsSuccess) throw new AmiLoginException(_options.Endpoint, _options.User, response.Text);
        }
        catch (Exception ex)
        {
            _router.Remove(loginId);
            bool wasAnnounced;
            lock (_gate)
            {
                // The read loop may already have marked it up (and published AmiConnected): undo that, visibly.
                wasAnnounced = ReferenceEquals(_session, session);
                if (wasAnnounced) _session = null;
            }
            if (wasAnnounced) Publish(new AmiDisconnected(session.Generation, "login did not complete: " + ex.Message));
            await session.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException && timeout.IsCancellationRequested && !ct.IsCancellationRequested)
                throw new AmiConnectException(_options.Endpoint, $"no login response within {_options.ConnectTimeout.TotalMilliseconds:0} ms");
            if (ex is IOException or SocketException) throw new AmiConnectException(_options.Endpoint, ex.Message, ex);
            throw;
        }

        MarkConnected(session);
        LogMessages.AmiConnected(_logger, _options.Endpoint, session.Banner ?? "(no banner)", session.Generation);
        return session;
    }

    private void MarkConnected(AmiSession session)
    {
        lock (_gate)
        {
            _generation = session.Generation;
            _session = session;
            _status = AmiConnectionStatus.Connected;
            _lastError = null;
        }
    }

    /// <summary>Waits for the session to end, reports it, fails what was in flight, and reconnects with backoff.
    /// With no initial session (<see cref="Start"/>) it begins by connecting.</summary>
    private async Task SuperviseAsync(AmiSession? session, CancellationToken ct)
    {
        var current = session;
        var firstAttempt = current is null;
        while (true)
        {
            if (current is not null)
            {
                string reason;
                try
                {
                    reason = await current.Completion.ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    reason = "read loop failed: " + ex; // a bug in frame handling must not stop reconnects
                }
                OnSessionLost(current, reason);
                await current.DisposeAsync().ConfigureAwait(false);
                current = null;
            }
            if (ct.IsCancellationRequested || _closing)
            {
                lock (_gate) _status = AmiConnectionStatus.Closed;
                return;
            }

            var attempt = 0;
            var refused = false;
            while (current is null)
            {
                var delay = firstAttempt ? TimeSpan.Zero : refused ? _backoff.Max : _backoff.Delay(attempt++);
                firstAttempt = false;
                try
                {
                    if (delay > TimeSpan.Zero) await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                    current = await OpenSessionAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    lock (_gate) _status = AmiConnectionStatus.Closed;
                    return;
                }
                catch (AmiException ex) when (ex is AmiLoginException or AmiConnectException)
                {
                    refused = ex is AmiLoginException; // wrong credentials: do not hammer Asterisk
                    lock (_gate) _lastError = ex.Message;
                    var next = refused ? _backoff.Max : _backoff.Delay(attempt);
                    LogMessages.AmiConnectFailed(_logger, _options.Endpoint, ex.Message, (long)next.TotalMilliseconds);
                    Publish(new AmiConnectFailed(ex.Message, refused, next));
                }
            }
        }
    }

    private void OnSessionLost(AmiSession session, string reason)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_session, session)) _session = null;
            _status = _closing ? AmiConnectionStatus.Closed : AmiConnectionStatus.Reconnecting;
            _lastError = reason;
            _lastReadAt = session.LastReadAt;
        }
        LogMessages.AmiDisconnected(_logger, _options.Endpoint, session.Generation, reason);
        _router.FailAll(p => p.Action.IsMutating
            ? new AmiResultUnknownException(p.Action.Name, p.ActionId, reason)
            : new AmiConnectionLostException(p.Action.Name, p.ActionId, reason));
        Publish(new AmiDisconnected(session.Generation, reason));
    }

    // ---- actions

    private async Task<AmiResponse> SendOnAsync(AmiSession session, AmiAction action, CancellationToken ct)
    {
        var actionId = NextActionId();
        var pending = _router.Register(actionId, action, session.Generation);
        var started = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_options.ActionTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await session.WriteAsync(action.Serialize(actionId), linked.Token).ConfigureAwait(false);
            return await pending.Response.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            _router.Remove(actionId); // a late answer is then counted as unsolicited, never given to another waiter
            var error = new AmiTimeoutException(DescribeTimeout(action, actionId, _time.GetElapsedTime(started)));
            LogMessages.AmiActionTimedOut(_logger, error.Message);
            throw error;
        }
        catch (OperationCanceledException)
        {
            _router.Remove(actionId);
            throw;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            _router.Remove(actionId);
            var reason = "write failed: " + ex.GetBaseException().Message;
            throw action.IsMutating
                ? new AmiResultUnknownException(action.Name, actionId, reason)
                : new AmiConnectionLostException(action.Name, actionId, reason);
        }
    }

    private string NextActionId() => _options.ActionIdPrefix + Interlocked.Increment(ref _actionCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string DescribeTimeout(AmiAction action, string actionId, TimeSpan elapsed)
    {
        var state = State;
        var sinceRead = state.LastReadAt is { } read ? $"{(_time.GetUtcNow() - read).TotalMilliseconds:0} ms ago" : "never";
        return $"AMI action '{action.Name}' (ActionID {actionId}) got no response within {_options.ActionTimeout.TotalMilliseconds:0} ms " +
               $"(elapsed {elapsed.TotalMilliseconds:0} ms); {state.PendingActions} other action(s) pending, last read {sinceRead}, " +
               $"connection {state.Status} (generation {state.Generation}, {_options.Endpoint}), last error: {state.LastError ?? "none"}" +
               (action.IsMutating ? "; its result is unknown: reconcile, do not resend blindly" : "");
    }

    private string DescribeState()
    {
        var state = State;
        return $"connection to {_options.Endpoint} is {state.Status} (generation {state.Generation}), last error: {state.LastError ?? "none"}";
    }

    // ---- incoming frames (on the read loop: never blocks)

    private void OnFrame(AmiSession session, AmiFrame frame)
    {
        switch (frame.Kind)
        {
            case AmiFrameKind.Banner:
                session.Banner = frame.Banner;
                return;
            case AmiFrameKind.Malformed:
                Interlocked.Increment(ref _malformed);
                LogMessages.AmiMalformedFrame(_logger, frame.Position, session.Generation, frame.Error!, frame.Excerpt!);
                Publish(new AmiFrameRejected(frame.Position, frame.Error!, frame.Excerpt!));
                return;
        }

        var message = frame.Message!;
        switch (_router.Route(message))
        {
            case AmiRouteResult.NotMine:
                Publish(message);
                break;
            case AmiRouteResult.Unsolicited:
                LogMessages.AmiUnsolicitedResponse(_logger, message.ActionId, _router.UnsolicitedCount);
                break;
            case AmiRouteResult.Completed when message.ActionId == session.LoginActionId && string.Equals(message.ResponseStatus, "Success", StringComparison.OrdinalIgnoreCase):
                // Marked here, on the read loop, so the connection is usable when the consumer sees AmiConnected,
                // and the marker precedes FullyBooted and every later event.
                MarkConnected(session);
                Publish(new AmiConnected(session.Generation, session.Banner));
                break;
        }
    }

    private void Publish(AmiStreamItem item)
    {
        if (_writer.Write(item)) return;
        var lost = _writer.TotalLost;
        if ((lost & (lost - 1)) == 0) LogMessages.AmiEventDropped(_logger, lost);
    }
}
