using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Routing.Asterisk.Ari;

/// <summary>
/// The ARI event websocket, kept open forever. Messages are parsed and written in arrival order to one
/// bounded single-reader channel, <see cref="Reader"/>, together with markers (connected, disconnected,
/// connect failed, frame rejected, events lost). The socket reader never waits on the consumer: Asterisk
/// closes a websocket whose reader stalls past websocket_write_timeout (100 ms). Asterisk does not replay
/// events missed during a gap, so on every <see cref="AriConnected"/> after the first the consumer reconciles
/// through GET /applications/{app}, /channels and /bridges.
/// </summary>
/// <para>It is also an <see cref="IAriTransport"/>: <c>new AriRestClient(options, stream)</c> sends REST requests as
/// RESTRequest messages over this websocket (Asterisk 20.14+/21.9+/22.4+) and gets their RESTResponse back.</para>
public sealed partial class AriEventStream : IAriTransport, IDisposable
{
    private const int InitialBufferBytes = 16 * 1024;

    private readonly AriOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<AriMessage> _channel;
    private readonly CountedDropWriter<AriMessage> _writer;
    private readonly ReconnectBackoff _backoff;
    private readonly Lock _stateGate = new();
    private int _running;
    private readonly SemaphoreSlim _sendLock = new(1, 1); // one websocket send at a time: REST requests and the close frame
    private ClientWebSocket? _socket;

    private bool _connected;
    private long _generation;
    private string? _lastError;
    private DateTimeOffset? _lastReadAt;
    private DateTimeOffset? _connectedAt;
    private int _consecutiveFailures;
    private long _eventsReceived;
    private long _framesRejected;

    public AriEventStream(AriOptions options, ILogger<AriEventStream>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid ARI options: " + string.Join("; ", errors), nameof(options));
        _options = options;
        _logger = logger ?? NullLogger<AriEventStream>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _channel = Channel.CreateBounded<AriMessage>(new BoundedChannelOptions(options.EventBufferCapacity)
        {
            SingleReader = true,
            SingleWriter = false, // the socket reader, and the flusher that reports losses once there is room
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails instead of dropping silently; we count it
        });
        _writer = new CountedDropWriter<AriMessage>(_channel.Writer, count => new AriEventsLost(count));
        _backoff = new ReconnectBackoff(options.ReconnectMinDelay, options.ReconnectMaxDelay);
    }

    /// <summary>Events and markers in arrival order. Completes when <see cref="RunAsync"/> ends.</summary>
    public ChannelReader<AriMessage> Reader => _channel.Reader;

    public AriStreamState State
    {
        get
        {
            lock (_stateGate)
            {
                return new AriStreamState(_connected, _generation, _lastError, _lastReadAt, _connectedAt, _consecutiveFailures,
                    Interlocked.Read(ref _eventsReceived), _writer.TotalLost, Interlocked.Read(ref _framesRejected));
            }
        }
    }

    /// <summary>Connects, reads and reconnects until <paramref name="ct"/> is cancelled. Call once.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0) throw new InvalidOperationException("AriEventStream.RunAsync is already running");
        var url = _options.EventsUrl;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var socket = CreateSocket();
                var failure = await ConnectAsync(socket, url, ct).ConfigureAwait(false);
                if (failure is not null)
                {
                    if (ct.IsCancellationRequested) break;
                    var retryIn = failure.Value.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                        ? _backoff.Max // wrong credentials: retrying fast only floods Asterisk's log
                        : _backoff.Delay(_consecutiveFailures);
                    ReportConnectFailure(url, failure.Value.Status, failure.Value.Reason, retryIn);
                    await DelayAsync(retryIn, ct).ConfigureAwait(false);
                    continue;
                }

                long generation;
                lock (_stateGate)
                {
                    generation = ++_generation;
                    _connected = true;
                    _connectedAt = _time.GetUtcNow();
                    _consecutiveFailures = 0;
                    _lastError = null;
                    _socket = socket;
                }
                LogMessages.AriConnected(_logger, url, generation);
                Publish(new AriConnected(generation));

                var reason = await ReadUntilClosedAsync(socket, ct).ConfigureAwait(false);

                lock (_stateGate)
                {
                    _connected = false;
                    _lastError = reason;
                    _socket = null;
                }
                FailRestRequests(reason);
                LogMessages.AriDisconnected(_logger, generation, reason);
                Publish(new AriDisconnected(generation, reason));
                if (ct.IsCancellationRequested) break;
                await DelayAsync(_backoff.Delay(0), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _writer.Dispose();
            _channel.Writer.TryComplete();
            Volatile.Write(ref _running, 0);
        }
    }

    public void Dispose() => _writer.Dispose();

    private ClientWebSocket CreateSocket()
    {
        var socket = new ClientWebSocket();
        // Basic auth in a header rather than api_key in the URL, so the password never sits in a URL that may be logged.
        socket.Options.SetRequestHeader("Authorization",
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.User}:{_options.Password}")));
        socket.Options.CollectHttpResponseDetails = true;
        if (_options.KeepAliveInterval > TimeSpan.Zero)
        {
            socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
            socket.Options.KeepAliveTimeout = _options.KeepAliveInterval;
        }
        return socket;
    }

    private async Task<(HttpStatusCode? Status, string Reason)?> ConnectAsync(ClientWebSocket socket, Uri url, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await socket.ConnectAsync(url, linked.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (null, "stopped");
        }
        catch (OperationCanceledException)
        {
            return (null, $"handshake got no answer within {_options.RequestTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
        {
            var status = socket.HttpStatusCode == 0 ? (HttpStatusCode?)null : socket.HttpStatusCode;
            return (status, DescribeHandshakeFailure(status, ex));
        }
    }

    private string DescribeHandshakeFailure(HttpStatusCode? status, Exception ex) => status switch
    {
        HttpStatusCode.Unauthorized => $"401 Unauthorized: Asterisk refused ARI user '{_options.User}' (check Asterisk:Ari:User/Password against ari.conf)",
        HttpStatusCode.BadRequest => $"400 Bad Request: Asterisk refused the websocket request (app '{_options.Application}' missing or invalid?)",
        HttpStatusCode.NotFound => "404 Not Found: no ARI events endpoint at this URL (is res_ari loaded and BaseUrl ending in /ari/?)",
        not null => $"handshake refused with HTTP {(int)status} {status}",
        null => $"cannot connect: {ex.GetBaseException().Message}",
    };

    private void ReportConnectFailure(Uri url, HttpStatusCode? status, string reason, TimeSpan retryIn)
    {
        lock (_stateGate)
        {
            _consecutiveFailures++;
            _lastError = reason;
        }
        LogMessages.AriConnectFailed(_logger, url, reason, (long)retryIn.TotalMilliseconds);
        Publish(new AriConnectFailed(status is null ? null : (int)status, reason, retryIn));
    }

    /// <summary>Reads whole messages (fragments reassembled in a pooled buffer) until the socket ends; returns why it ended.</summary>
    private async Task<string> ReadUntilClosedAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var count = 0;
        var oversized = false;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length >= _options.MaxMessageBytes)
                    {
                        oversized = true; // keep reading to the end of this message, then reject it
                        count = 0;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _options.MaxMessageBytes));
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(count), ct).ConfigureAwait(false);
                lock (_stateGate) _lastReadAt = _time.GetUtcNow();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseQuietlyAsync(socket).ConfigureAwait(false);
                    return $"Asterisk closed the websocket ({(int?)socket.CloseStatus} {socket.CloseStatusDescription})".TrimEnd();
                }
                count += result.Count;
                if (!result.EndOfMessage) continue;

                if (oversized)
                    Reject($"ARI message larger than {_options.MaxMessageBytes} bytes", AriEventParser.Excerpt(buffer.AsSpan(0, count)));
                else
                    Deliver(buffer.AsSpan(0, count));
                count = 0;
                oversized = false;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await CloseQuietlyAsync(socket).ConfigureAwait(false);
            return "stopped";
        }
        catch (WebSocketException ex)
        {
            return $"websocket failed: {ex.GetBaseException().Message}";
        }
        catch (IOException ex)
        {
            return $"connection failed: {ex.GetBaseException().Message}";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Deliver(ReadOnlySpan<byte> frame)
    {
        AriEvent evt;
        try
        {
            evt = AriEventParser.Parse(frame);
        }
        catch (AriFrameException ex)
        {
            Reject(ex.Reason, ex.Excerpt);
            return;
        }
        if (evt is RESTResponse response)
        {
            CompleteRestRequest(response);
            return;
        }
        Interlocked.Increment(ref _eventsReceived);
        Publish(evt);
    }

    private void Reject(string error, string excerpt)
    {
        Interlocked.Increment(ref _framesRejected);
        LogMessages.AriFrameRejected(_logger, error, excerpt);
        Publish(new AriFrameRejected(error, excerpt));
    }

    private void Publish(AriMessage message)
    {
        if (_writer.Write(message)) return;
        var lost = _writer.TotalLost;
        if ((lost & (lost - 1)) == 0) LogMessages.EventDropped(_logger, "ari", lost); // 1, 2, 4, 8...: loud but not a flood
    }

    private async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
        try
        {
            // A close frame is a send: it must not overlap a REST request being sent.
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The connection is going away anyway; the reason was already recorded.
            LogMessages.AriCloseIncomplete(_logger, ex.Message);
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: the loop condition ends RunAsync.
        }
    }
}
