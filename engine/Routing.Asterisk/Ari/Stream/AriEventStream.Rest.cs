using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Routing.Asterisk.Ari;

// ARI REST over the event websocket (Asterisk 20.14+/21.9+/22.4+): requests go out as RESTRequest messages,
// answers come back as RESTResponse among the events and are matched by request_id.
public sealed partial class AriEventStream
{
    private readonly ConcurrentDictionary<string, (TaskCompletionSource<AriRawResponse> Done, AriRequest Request)> _restPending = new(StringComparer.Ordinal);
    private long _restCounter;

    /// <summary>Sends <paramref name="request"/> as a RESTRequest message and waits for its RESTResponse.</summary>
    public async Task<AriRawResponse> SendAsync(AriRequest request, CancellationToken ct)
    {
        ClientWebSocket? socket;
        lock (_stateGate) socket = _socket;
        if (socket is null)
            throw new AriUnavailableException(request.Method.Method, request.LogPath, _options.EventsUrl,
                new InvalidOperationException("the ARI websocket is not connected"));

        var id = "ws-" + Interlocked.Increment(ref _restCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<AriRawResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _restPending[id] = (done, request);
        try
        {
            var message = new AriRestRequestMessage(id, id, request.Method.Method, request.Path,
                request.JsonBody is null ? null : "application/json",
                request.Query.Pairs.Count == 0 ? null : request.Query.Pairs.Select(p => new AriQueryStringParameter(p.Key, p.Value)).ToList(),
                request.JsonBody is null ? null : Encoding.UTF8.GetString(request.JsonBody));
            var bytes = JsonSerializer.SerializeToUtf8Bytes(message, AriJsonContext.Default.AriRestRequestMessage);
            await _sendLock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                // Not cancellable on purpose: cancelling a websocket send aborts the socket, and with it the event stream.
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
            return await done.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
            throw new AriUnavailableException(request.Method.Method, request.LogPath, _options.EventsUrl, ex);
        }
        finally
        {
            _restPending.TryRemove(id, out _);
        }
    }

    private void CompleteRestRequest(RESTResponse response)
    {
        if (_restPending.TryRemove(response.RequestId, out var pending))
        {
            pending.Done.TrySetResult(new AriRawResponse(response.StatusCode, response.ReasonPhrase,
                Encoding.UTF8.GetBytes(response.MessageBody ?? "")));
            return;
        }
        // Late (after its timeout) or not ours: never handed to another request.
        Reject($"RESTResponse for request '{response.RequestId}' that nobody waits for", response.Uri ?? "");
    }

    private void FailRestRequests(string reason)
    {
        foreach (var id in _restPending.Keys)
        {
            if (_restPending.TryRemove(id, out var pending))
                pending.Done.TrySetException(new AriUnavailableException(pending.Request.Method.Method, pending.Request.LogPath, _options.EventsUrl,
                    new IOException($"the websocket closed before the response ({reason}); the request may or may not have been carried out")));
        }
    }
}
