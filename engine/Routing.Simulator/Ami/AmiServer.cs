using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Routing.Simulator.Core;

namespace Routing.Simulator.Ami;

/// <summary>AMI on 127.0.0.1: accepts sessions and fans PBX events out to those logged in with events on.</summary>
internal sealed class AmiServer : IAmiSink, IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly SimulatorOptions _options;
    private readonly ConcurrentDictionary<long, AmiSession> _sessions = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTimeOffset _started;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextSessionId;
    private long _eventsSent;

    public AmiServer(SimulatorOptions options)
    {
        _options = options;
        _started = options.Time.GetUtcNow();
        _listener = new TcpListener(IPAddress.Loopback, options.AmiPort);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;
    public long EventsSent => Interlocked.Read(ref _eventsSent);
    public int EventListeners => _sessions.Values.Count(s => s.WantsEvents);
    public TimeSpan Uptime => _options.Time.GetUtcNow() - _started;
    public SimulatorOptions Options => _options;

    /// <summary>The PBX that actions act on (Setvar); set once it exists (it publishes its events here).</summary>
    public Pbx? Pbx { get; set; }

    public void Start()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    public void Publish(string frame)
    {
        foreach (var session in _sessions.Values)
            if (session.WantsEvents && session.TryEnqueue(frame)) Interlocked.Increment(ref _eventsSent);
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(ct);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) when (ct.IsCancellationRequested) { return; }
            long id = Interlocked.Increment(ref _nextSessionId);
            var session = new AmiSession(client, this, id);
            _sessions[id] = session;
            _ = RunSessionAsync(session, ct);
        }
    }

    private async Task RunSessionAsync(AmiSession session, CancellationToken ct)
    {
        try
        {
            await session.RunAsync(ct);
        }
        finally
        {
            _sessions.TryRemove(session.Id, out _);
            session.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var s in _sessions.Values) s.Dispose();
        await _acceptLoop;
        _stop.Dispose();
    }
}
