using Routing.Engine.Hosting;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Routing.Bench.Load;

/// <summary>
/// Asks the simulator, before a WebSocket-transport run, whether it answers ARI REST over the event
/// websocket at all: one RESTRequest (GET asterisk/info, events.json model) on a websocket of a probe
/// app, and a RESTResponse with the same request_id back within a few seconds. Without it the run
/// would only measure timeouts, so the report says "not supported" instead of printing a number.
/// </summary>
public static class RestOverWebSocketProbe
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);
    private const string RequestId = "routing-bench-probe-1";

    /// <summary>Null when supported, else why not.</summary>
    public static async Task<string?> WhyUnsupportedAsync(AsteriskAddress address, CancellationToken cancellationToken)
    {
        var events = new UriBuilder(new Uri(address.AriBaseUrl, "events"))
        {
            Scheme = address.AriBaseUrl.Scheme == "https" ? "wss" : "ws",
            Query = $"app=routing-bench-probe&api_key={Uri.EscapeDataString(address.AriUser)}:{Uri.EscapeDataString(address.AriPassword)}",
        }.Uri;
        using var socket = new ClientWebSocket();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Wait);
        try
        {
            await socket.ConnectAsync(events, limit.Token);
            var request = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
            {
                ["type"] = "RESTRequest",
                ["transaction_id"] = RequestId,
                ["request_id"] = RequestId,
                ["method"] = "GET",
                ["uri"] = "asterisk/info",
            });
            await socket.SendAsync(request, WebSocketMessageType.Text, endOfMessage: true, limit.Token);
            var buffer = new byte[64 * 1024];
            for (var frames = 0; frames < 100; frames++)
            {
                var text = await ReceiveTextAsync(socket, buffer, limit.Token);
                if (text is null) return "the simulator closed the probe websocket without a RESTResponse";
                using var message = JsonDocument.Parse(text);
                var root = message.RootElement;
                if (root.TryGetProperty("type", out var type) && type.GetString() == "RESTResponse"
                    && root.TryGetProperty("request_id", out var id) && id.GetString() == RequestId)
                {
                    var status = root.TryGetProperty("status_code", out var code) ? code.GetInt32() : 0;
                    return status == 200 ? null : $"RESTResponse to GET asterisk/info had status {status}";
                }
            }

            return "100 frames on the probe websocket and none was the RESTResponse";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no RESTResponse to a RESTRequest (GET asterisk/info) within {Wait.TotalSeconds:0} s: the simulator does not answer REST over its websocket";
        }
        catch (WebSocketException ex)
        {
            return $"probe websocket failed: {ex.Message}";
        }
        catch (JsonException ex)
        {
            return $"the probe websocket carried a frame that is not JSON: {ex.Message}";
        }
        finally
        {
            if (socket.State == WebSocketState.Open)
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, close.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private static async Task<string?> ReceiveTextAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var used = 0;
        while (true)
        {
            if (used == buffer.Length) throw new WebSocketException("probe: a frame larger than 64 KiB");
            var result = await socket.ReceiveAsync(buffer.AsMemory(used), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            used += result.Count;
            if (result.EndOfMessage) return Encoding.UTF8.GetString(buffer, 0, used);
        }
    }
}
