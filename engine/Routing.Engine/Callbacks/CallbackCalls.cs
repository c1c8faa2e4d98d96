using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Calls.Callbacks;
using Routing.Calls.Centre;
using Routing.Calls.Ports;
using Routing.Engine.Centre;
using Routing.Engine.Operators;

namespace Routing.Engine.Callbacks;

/// <summary>
/// The call backs under way, by task and by channel: started by a call-taker from the console
/// (<c>POST /api/callbacks/{callId}/call</c>) or by the engine's scheduler (<see cref="ICallbackDialer"/>, with
/// <see cref="CallbackOptions.AutoAttempt"/>), and told of their channels' events by the ARI dispatcher. A task
/// has at most one call back at a time; a position at most one call of any kind (the centre's rule).
/// </summary>
internal sealed class CallbackCalls(
    CallbackOptions options, CallbackDesk desk, ITelephony telephony, ICallJournal journal, CentreService centre,
    CentreEventHub hub, OperatorApiOptions apiOptions, TimeProvider time, ILogger<CallbackCalls> logger) : ICallbackDialer
{
    private readonly ConcurrentDictionary<string, CallbackCall?> byTask = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CallbackCall> byChannel = new(StringComparer.Ordinal);
    private readonly CallbackCallContext context = new(options, desk, telephony, journal, centre, hub, time, logger);

    public bool Owns(string channelId) => byChannel.ContainsKey(channelId);

    public bool OwnsBridge(string bridgeId) => byTask.Values.Any(c => c?.BridgeId == bridgeId);

    public CallbackCall? Find(string callId) => byTask.GetValueOrDefault(callId);

    /// <summary>From the ARI reader (never waits): the event goes to the call back owning the channel.</summary>
    public void OnAriEvent(AriEvent ariEvent, string channelId)
    {
        if (byChannel.TryGetValue(channelId, out var call))
        {
            call.OnAriEvent(ariEvent, channelId);
        }
    }

    /// <summary>Starts calling the caller of <paramref name="callId"/> back from <paramref name="position"/>.
    /// Every refusal changes nothing: no such task (404); a task reached or closed, a call back already under
    /// way, a number that cannot be dialled, a position not Available or in WrapUp (409).</summary>
    /// <param name="byEngine">The engine's own attempt (<see cref="CallbackOptions.AutoAttempt"/>), not the call-taker's
    /// choice: the phone then rings to be answered by hand, never by itself (<see cref="CallbackCall"/>).</param>
    public async Task<(CallbackCall? Call, ApiError? Error)> StartAsync(string callId, string position, string user, CancellationToken cancellationToken, bool byEngine = false)
    {
        var task = await desk.FindAsync(callId, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return (null, new ApiError(404, "not-found", $"no callback task for call {Clip(callId)}"));
        }

        if (!byTask.TryAdd(callId, null))
        {
            var busy = byTask.GetValueOrDefault(callId);
            return (null, new ApiError(409, "state", $"call {task.CallId} is already being called back{(busy is null ? "" : $" from {busy.Position}")}"));
        }

        try
        {
            var by = $"{user}@{position}";
            try
            {
                task.Attempt(by, ""); // checked here, written by the call back once the position is busy
            }
            catch (CallbackRefusedException ex)
            {
                byTask.TryRemove(callId, out _);
                return (null, new ApiError(409, "state", ex.Message));
            }

            if (CallbackNumber.Check(task.CallerNumber) is { } problem)
            {
                byTask.TryRemove(callId, out _);
                return (null, new ApiError(409, "state", $"call {task.CallId} cannot be called back: {problem}"));
            }

            var endpoint = centre.Options.Positions.TryGetValue(position, out var configured) ? configured.Endpoint : $"PJSIP/{position}";
            var callbackId = $"callback-{task.CallId}-{task.Attempts + 1}";
            var refused = await centre.StartCallbackAsync(position, callbackId, apiOptions.ReplyTimeout, cancellationToken).ConfigureAwait(false);
            if (refused is not null)
            {
                byTask.TryRemove(callId, out _);
                return (null, refused);
            }

            var call = new CallbackCall(context, task.CallId, callbackId, task.Attempts + 1, task.CallerNumber, position, endpoint, user, byEngine);
            byTask[callId] = call;
            byChannel[call.CallTakerChannelId] = call;
            byChannel[call.CallerChannelId] = call;
            var error = await call.StartAsync(Forget).ConfigureAwait(false);
            return error is null ? (call, null) : (null, error);
        }
        catch
        {
            if (byTask.TryGetValue(callId, out var half) && half is null)
            {
                byTask.TryRemove(callId, out _);
            }

            throw;
        }
    }

    /// <summary>The engine's own attempt (scheduler): from the Available position idle longest, if any. Its phone rings to
    /// be answered by hand even in Console mode: nobody chose this call, and only a person picking up proves someone is
    /// there before an emergency caller is dialled back (an auto-answered headset at an empty desk would ring the caller
    /// into silence and close the task as reached).</summary>
    public async Task<CallbackDialResult> DialAsync(CallbackTask task, CancellationToken cancellationToken)
    {
        var free = centre.Picture.CallTakers
            .Where(c => c.Reachable && c.User is not null && c.State == nameof(CallTakerState.Available))
            .OrderBy(c => c.Since)
            .FirstOrDefault();
        if (free is null)
        {
            return new CallbackDialResult(false, "no call-taker is available to call back");
        }

        var (call, error) = await StartAsync(task.CallId, free.Position, free.User!, cancellationToken, byEngine: true).ConfigureAwait(false);
        return call is null ? new CallbackDialResult(false, error!.Message) : await call.Result.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Forget(CallbackCall call)
    {
        byChannel.TryRemove(call.CallTakerChannelId, out _);
        byChannel.TryRemove(call.CallerChannelId, out _);
        byTask.TryRemove(new KeyValuePair<string, CallbackCall?>(call.CallId, call));
    }

    private static string Clip(string text) => new(text.Take(60).Where(c => !char.IsControl(c)).ToArray());
}

/// <summary>Only a plain phone number is ever put into a dial string: a caller id is the caller's to choose.</summary>
internal static class CallbackNumber
{
    public static string? Check(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return "the caller's number is unknown (anonymous)";
        }

        var digits = number.StartsWith('+') ? number[1..] : number;
        return digits.Length is >= 3 and <= 20 && digits.All(char.IsAsciiDigit)
            ? null
            : $"the caller's number '{new string(number.Take(30).Where(c => !char.IsControl(c)).ToArray())}' is not a phone number (digits, an optional leading +)";
    }
}
