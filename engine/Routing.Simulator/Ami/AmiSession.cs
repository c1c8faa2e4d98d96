using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Routing.Simulator.Ami;

/// <summary>
/// One AMI connection: the banner, then actions (header lines ended by a blank line, CRLF or LF) answered in order;
/// all output goes through one bounded queue and one writer loop, so responses and events never interleave.
/// </summary>
internal sealed class AmiSession : IDisposable
{
    private const int MaxLineBytes = 8 * 1024;
    private const int MaxHeadersPerAction = 64;
    private readonly TcpClient _client;
    private readonly AmiServer _server;
    private readonly Channel<string> _out;
    private volatile bool _loggedIn;
    private volatile bool _eventsOn;

    public AmiSession(TcpClient client, AmiServer server, long id)
    {
        _client = client;
        _server = server;
        Id = id;
        _out = Channel.CreateBounded<string>(new BoundedChannelOptions(server.Options.OutgoingQueueCapacity) { SingleReader = true });
    }

    public long Id { get; }
    public bool WantsEvents => _loggedIn && _eventsOn;

    public bool TryEnqueue(string text)
    {
        if (_out.Writer.TryWrite(text)) return true;
        // A reader this far behind is cut off rather than slowing the PBX; closed on the pool because this runs under the PBX lock.
        if (_out.Writer.TryComplete()) ThreadPool.UnsafeQueueUserWorkItem(static client => client.Close(), _client, preferLocal: false);
        return false;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var stream = _client.GetStream();
        var writer = WriteLoopAsync(stream, ct);
        TryEnqueue(AmiFrames.Banner);
        try
        {
            await ReadLoopAsync(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), ct);
        }
        catch (IOException) { /* connection dropped */ }
        catch (OperationCanceledException) { /* server stopping */ }
        catch (ObjectDisposedException) { /* closed under us */ }
        finally
        {
            _out.Writer.TryComplete();
            await writer;
        }
    }

    private async Task ReadLoopAsync(PipeReader reader, CancellationToken ct)
    {
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            var buffer = result.Buffer;
            bool stop = false;
            while (!stop && TryReadLine(ref buffer, out string line))
            {
                if (line.Length == 0)
                {
                    if (headers.Count > 0) stop = !Handle(headers);
                    headers = new List<KeyValuePair<string, string>>();
                    continue;
                }
                int colon = line.IndexOf(':');
                if (colon <= 0 || headers.Count >= MaxHeadersPerAction)
                {
                    TryEnqueue(AmiFrames.Response("Error", null, ("Message", colon <= 0 ? $"Malformed header line: '{Truncate(line)}'" : "Too many headers in one action")));
                    headers.Clear();
                    continue;
                }
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
            if (buffer.Length > MaxLineBytes)
            {
                TryEnqueue(AmiFrames.Response("Error", null, ("Message", $"Line longer than {MaxLineBytes} bytes; closing")));
                stop = true;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (stop || result.IsCompleted) break;
        }
        await reader.CompleteAsync();
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "...";

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out string line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = "";
            return false;
        }
        var bytes = buffer.Slice(0, position.Value);
        line = Encoding.UTF8.GetString(bytes).TrimEnd('\r');
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    /// <summary>Answers one action; false when the session must close (Logoff, failed login).</summary>
    private bool Handle(List<KeyValuePair<string, string>> headers)
    {
        string? Get(string key) => headers.FirstOrDefault(h => h.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value;
        string? action = Get("Action");
        string? actionId = Get("ActionID");
        var options = _server.Options;

        if (string.IsNullOrEmpty(action))
        {
            TryEnqueue(AmiFrames.Response("Error", actionId, ("Message", "Missing action in request")));
            return true;
        }
        switch (action.ToLowerInvariant())
        {
            case "login":
                if (Get("Username") != options.AmiUser || Get("Secret") != options.AmiPassword)
                {
                    TryEnqueue(AmiFrames.Response("Error", actionId, ("Message", "Authentication failed")));
                    return false;
                }
                TryEnqueue(AmiFrames.Response("Success", actionId, ("Message", "Authentication accepted")));
                _eventsOn = !string.Equals(Get("Events"), "off", StringComparison.OrdinalIgnoreCase);
                if (_eventsOn)
                {
                    TryEnqueue(AmiFrames.FullyBooted(_server.Uptime));
                    string now = options.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000";
                    TryEnqueue(AmiFrames.SuccessfulAuth(options.AmiUser, now, $"0x{Id:x12}",
                        Address(_client.Client.LocalEndPoint), Address(_client.Client.RemoteEndPoint)));
                }
                _loggedIn = true;
                return true;
            case "logoff":
                TryEnqueue(AmiFrames.Response("Goodbye", actionId, ("Message", "Thanks for all the fish.")));
                return false;
            case "challenge":
                TryEnqueue(AmiFrames.Response("Error", actionId, ("Message", "Must specify AuthType")));
                return true;
        }
        if (!_loggedIn)
        {
            TryEnqueue(AmiFrames.Response("Error", actionId, ("Message", "Permission denied")));
            return true;
        }
        switch (action.ToLowerInvariant())
        {
            case "ping":
                double ts = options.Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
                TryEnqueue(AmiFrames.Response("Success", actionId, ("Ping", "Pong"), ("Timestamp", ts.ToString("0.000000", CultureInfo.InvariantCulture))));
                return true;
            case "events":
                _eventsOn = !string.Equals(Get("EventMask"), "off", StringComparison.OrdinalIgnoreCase);
                TryEnqueue(AmiFrames.Response("Success", actionId, ("Events", _eventsOn ? "On" : "Off")));
                return true;
            case "setvar":
                var error = _server.Pbx?.AmiSetvar(Get("Channel"), Get("Variable"), Get("Value")) ?? (_server.Pbx is null ? "Variable not set" : null);
                TryEnqueue(error is null
                    ? AmiFrames.Response("Success", actionId, ("Message", "Variable Set"))
                    : AmiFrames.Response("Error", actionId, ("Message", error)));
                return true;
            default:
                TryEnqueue(AmiFrames.Response("Error", actionId, ("Message", "Invalid/unknown command")));
                return true;
        }
    }

    private static string Address(EndPoint? ep) =>
        ep is IPEndPoint ip ? $"IPV4/TCP/{ip.Address}/{ip.Port}" : "IPV4/TCP/127.0.0.1/0";

    private async Task WriteLoopAsync(NetworkStream stream, CancellationToken ct)
    {
        try
        {
            await foreach (var text in _out.Reader.ReadAllAsync(ct))
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            // Queue completed (Logoff, failed login, client gone): everything answered is flushed, then the server closes.
            _client.Client.Shutdown(SocketShutdown.Both);
        }
        catch (IOException) { /* peer gone */ }
        catch (OperationCanceledException) { /* server stopping */ }
        catch (ObjectDisposedException) { /* closed under us */ }
        catch (SocketException) { /* peer reset */ }
    }

    public void Dispose() => _client.Dispose();
}
