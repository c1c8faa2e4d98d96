using System.Collections.Concurrent;
using System.Globalization;
using Routing.Asterisk.Ari;

namespace Routing.Engine.Calls;

/// <summary>
/// Proves that every ARI event Asterisk sent our app before a given moment has been handled. A channel
/// is listed in GET /applications as soon as Asterisk subscribes the app to it, before its StasisStart
/// is even published (res_stasis.c send_start_msg_snapshots), and the listing travels on another
/// connection than the events, so a listing alone cannot tell "nobody serves this caller" from "its
/// StasisStart is still on its way". The barrier asks Asterisk to publish a user event to the app:
/// stasis_app_user_event puts it on the app's own topic, behind every StasisStart published before,
/// and the dispatcher handles events in order, so once the dispatcher has handled the marker every
/// caller who had entered Stasis before the request has its call.
/// </summary>
internal sealed class EventStreamBarrier(IAriRestClient ari, AriOptions ariOptions, TimeProvider time)
{
    /// <summary>Events named so belong to the barrier; the dispatcher hands them here, never to a call.</summary>
    public const string EventPrefix = "routing112-barrier-";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> pending = new(StringComparer.Ordinal);
    private long counter;

    /// <summary>Null when the stream is proven drained up to now; otherwise why it could not be proven
    /// within <paramref name="limit"/> (Asterisk refused the request, the websocket is down, the
    /// dispatcher is that far behind). Then nothing may be concluded from an earlier listing.</summary>
    public async Task<string?> PassAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var name = EventPrefix + Interlocked.Increment(ref counter).ToString(CultureInfo.InvariantCulture);
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[name] = handled;
        try
        {
            await ari.SendUserEventAsync(ariOptions.Application, name, cancellationToken).ConfigureAwait(false);
            await handled.Task.WaitAsync(limit, time, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            return $"the marker event was not handled within {limit.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            return "the marker event could not be sent: " + ex.Message;
        }
        finally
        {
            pending.TryRemove(name, out _);
        }
    }

    /// <summary>Called by the dispatcher, in event order; true when the event was a barrier marker
    /// (ours, or a late one from a pass that gave up), which no call is meant to see.</summary>
    public bool TryComplete(string eventName)
    {
        if (!eventName.StartsWith(EventPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (pending.TryGetValue(eventName, out var handled))
        {
            handled.TrySetResult();
        }

        return true;
    }
}
