using Routing.Calls.Ports;
using Routing.Engine.Operators;

namespace Routing.Engine.Centre;

/// <summary>Everything the centre service handles, one at a time, from its mailbox.</summary>
internal abstract record CentreInput
{
    private CentreInput() { }

    // From calls (ICallCentre)
    public sealed record Enqueue(CentreCall Call) : CentreInput;

    public sealed record Requeue(string CallId, string Position) : CentreInput;

    public sealed record CallTakerLeft(string CallId, string Position) : CentreInput;

    /// <summary>The call-taker's phone left an unclassified call; <paramref name="WithCaller"/> null when it never reached the caller's bridge.</summary>
    public sealed record CallTakerDeviceLeft(string CallId, string Position, TimeSpan? WithCaller) : CentreInput;

    public sealed record CallEnded(string CallId) : CentreInput;

    // From ARI (the dispatcher, the device watcher)
    public sealed record DeviceState(string Endpoint, bool Reachable, string Source) : CentreInput;

    public sealed record OfferLegAnswered(string ChannelId) : CentreInput;

    public sealed record OfferLegEnded(string ChannelId, int Cause, string CauseText) : CentreInput;

    /// <summary>The originate of an offer failed; <paramref name="Gone"/> when Asterisk says no channel exists.</summary>
    public sealed record OfferDialFailed(string ChannelId, string Error) : CentreInput;

    // From operators (the API), answered through Reply
    public sealed record PositionRequest(OperatorIdentity Who, string Position, PositionAction Action, string? Reason, IReadOnlyList<string>? Languages, TaskCompletionSource<PositionReply> Reply) : CentreInput;

    /// <summary>A call-taker accepts a text session offered in its console.</summary>
    public sealed record TextAccept(OperatorIdentity Who, string SessionId, TaskCompletionSource<ApiError?> Reply) : CentreInput;

    /// <summary>A call-taker starts calling a lost caller back: the position becomes OnCall with it, or the
    /// refusal says why not. It ends like any call, with <see cref="CallEnded"/>.</summary>
    public sealed record CallbackRequest(string Position, string CallbackId, TaskCompletionSource<ApiError?> Reply) : CentreInput;

    // From the centre's own timer
    public sealed record Tick : CentreInput;

    /// <summary>Answered once every input posted before it was handled (tests, shutdown).</summary>
    public sealed record Barrier(TaskCompletionSource Reply) : CentreInput;
}

public enum PositionAction { Login, Logout, Pause, Resume, Accept }

/// <summary>The answer to a position request: the position as it is now, or the error that refused it.</summary>
public sealed record PositionReply(CallTakerDto? CallTaker, ApiError? Error);
