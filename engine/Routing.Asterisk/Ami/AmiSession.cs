using System.IO.Pipelines;
using System.Net.Sockets;

namespace Routing.Asterisk.Ami;

/// <summary>
/// Transport of one AMI TCP connection: the standard pipe read loop (read, parse whole frames until one is
/// incomplete, AdvanceTo) feeding frames to a callback, and serialized writes. Knows nothing of actions.
/// </summary>
internal sealed class AmiSession : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop;
    private readonly TimeProvider _time;
    private long _lastReadTicks;
    private int _disposed;

    /// <param name="lifetime">Cancelling it ends the read loop (the owning connection is being disposed).</param>
    public AmiSession(Socket socket, long generation, TimeProvider time, CancellationToken lifetime)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024));
        _time = time;
        Generation = generation;
        Completion = Task.FromResult("not started");
    }

    public long Generation { get; }

    /// <summary>The "Asterisk Call Manager/x" line, once read.</summary>
    public string? Banner { get; set; }

    /// <summary>The login action's id, so the read loop can mark the connection up right at its response.</summary>
    public string? LoginActionId { get; set; }

    public DateTimeOffset? LastReadAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastReadTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Ends with the reason the connection ended.</summary>
    public Task<string> Completion { get; private set; }

    /// <summary>Bytes of the stream parsed so far (the position in error messages).</summary>
    public long Position { get; private set; }

    public void Start(int maxMessageBytes, Action<AmiSession, AmiFrame> onFrame) =>
        Completion = ReadLoopAsync(new AmiFrameParser(maxMessageBytes), onFrame, _stop.Token);

    public async Task WriteAsync(byte[] bytes, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<string> ReadLoopAsync(AmiFrameParser parser, Action<AmiSession, AmiFrame> onFrame, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(ct).ConfigureAwait(false);
                Interlocked.Exchange(ref _lastReadTicks, _time.GetUtcNow().UtcTicks);
                var buffer = result.Buffer;
                while (parser.TryParse(ref buffer, out var frame)) onFrame(this, frame);
                Position = parser.Position;
                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted) return $"Asterisk closed the connection after {parser.Position} bytes";
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return "closed by us";
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return $"connection failed after {parser.Position} bytes: {ex.GetBaseException().Message}";
        }
        finally
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer; disposing below is all that is left.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
        // A faulted read loop was already reported by whoever awaited Completion.
        await ((Task)Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
        _stop.Dispose();
    }
}
