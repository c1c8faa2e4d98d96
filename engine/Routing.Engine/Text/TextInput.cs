using Routing.Asterisk.Ari;
using Routing.Calls;
using Routing.Engine.Operators;

namespace Routing.Engine.Text;

/// <summary>Everything the text service handles, one at a time, from its mailbox.</summary>
internal abstract record TextInput
{
    private TextInput() { }

    /// <summary>ARI TextMessageReceived (a gateway's caller, or an agency's text desk writing back).</summary>
    public sealed record Received(TextMessageReceived Event) : TextInput;

    public sealed record Assigned(string SessionId, string Position, string User, TimeSpan Waited) : TextInput;

    public sealed record GaveUp(string SessionId, string Reason) : TextInput;

    /// <summary>A send finished (beside the loop): recorded, and a failure shown to the call-taker.</summary>
    public sealed record SendFailed(string SessionId, string To, string Error) : TextInput;

    public sealed record Operator(string SessionId, OperatorIdentity Who, string Position, TextAction Action, TaskCompletionSource<ApiError?> Reply) : TextInput;

    public sealed record Tick : TextInput;

    public sealed record Barrier(TaskCompletionSource Reply) : TextInput;
}

/// <summary>What a call-taker does with a text session in the console (accepting goes through the centre).</summary>
public abstract record TextAction
{
    private TextAction() { }

    public sealed record Reply(string Text) : TextAction;

    public sealed record Classify(ClassificationKind Kind, string? Agency, string? IncidentType, string? Note) : TextAction;

    public sealed record Transfer(string Agency) : TextAction;

    public sealed record Close(string Reason) : TextAction;
}
