using Routing.Calls.Callbacks;

namespace Routing.Engine.Callbacks;

/// <summary>What an automatic call back needs from telephony: place the call to the task's caller
/// and say whether a person answered. The call-taker centre wires it (<see cref="CallbackCalls"/>: rings an
/// Available call-taker's phone, then the caller, and bridges them). It records the task's transitions
/// (attempted before dialling, reached or not reached) through <see cref="CallbackDesk"/> itself, because only it
/// knows when the attempt really starts (a call-taker was free).</summary>
public interface ICallbackDialer
{
    Task<CallbackDialResult> DialAsync(CallbackTask task, CancellationToken cancellationToken);
}

/// <param name="Reached">A person answered.</param>
/// <param name="Note">What happened, for the ledger: "answered by callee", "busy", "no answer" ...</param>
public sealed record CallbackDialResult(bool Reached, string Note);
