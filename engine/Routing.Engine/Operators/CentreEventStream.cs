using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Routing.Engine.Centre;

namespace Routing.Engine.Operators;

/// <summary>
/// <c>GET /api/events</c>: Server-Sent Events. First the whole picture (<c>centre</c>), then each change
/// the identity may see, and a keep-alive comment when nothing happened for a while. After a reconnect
/// (or when this subscriber fell behind and lost events) a fresh <c>centre</c> event is the whole truth,
/// so nothing is replayed.
/// </summary>
internal static class CentreEventStream
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(HttpContext context, CentreEventHub hub, CentreService? centre, OperatorApiOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var who = context.Operator();
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // a reverse proxy must not hold events back
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var subscription = hub.Subscribe(positions => who.IsSupervisor
            || (centre?.PositionOf(who.User) is { } mine && positions.Contains(mine, StringComparer.OrdinalIgnoreCase)));
        try
        {
            await WriteAsync(response, hub.NextId(), "centre", Picture(centre), cancellationToken).ConfigureAwait(false);
            var reader = subscription.Reader;
            while (!cancellationToken.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(options.EventKeepAlive);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!more)
                {
                    return;
                }

                if (subscription.NeedsResync())
                {
                    while (reader.TryRead(out _))
                    {
                    }

                    await WriteAsync(response, hub.NextId(), "centre", Picture(centre), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                while (reader.TryRead(out var numbered))
                {
                    await WriteAsync(response, numbered.Id, numbered.Event.Type, numbered.Event.Data, cancellationToken, flush: false).ConfigureAwait(false);
                }

                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The console went away.
        }
    }

    private static object Picture(CentreService? centre) =>
        centre?.Picture ?? (object)new { at = DateTimeOffset.UtcNow, callTakers = Array.Empty<object>(), waiting = Array.Empty<object>(), groups = Array.Empty<object>() };

    private static async Task WriteAsync(HttpResponse response, long id, string type, object data, CancellationToken cancellationToken, bool flush = true)
    {
        // JSON never holds a raw newline, so one data: line is always enough.
        var json = JsonSerializer.Serialize(data, data.GetType(), Json);
        await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"id: {id}\nevent: {type}\ndata: {json}\n\n"), cancellationToken).ConfigureAwait(false);
        if (flush)
        {
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
