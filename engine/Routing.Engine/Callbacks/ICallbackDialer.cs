using Routing.Calls.Callbacks;

namespace Routing.Engine.Callbacks;

/// <summary>What an automatic call back needs from telephony: place the call to the task's caller
/// and say whether a person answered. The call-taker centre wires its originate here (e.g. an ARI
/// originate that bridges the callee to a call-taker); the task model and its ledger story are ours.</summary>
public interface ICallbackDialer
{
    Task<CallbackDialResult> DialAsync(CallbackTask task, CancellationToken cancellationToken);
}

/// <param name="Reached">A person answered.</param>
/// <param name="Note">What happened, for the ledger: "answered by callee", "busy", "no answer" ...</param>
public sealed record CallbackDialResult(bool Reached, string Note);
