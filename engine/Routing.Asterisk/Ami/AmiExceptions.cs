namespace Routing.Asterisk.Ami;

/// <summary>Base of every AMI client error.</summary>
public class AmiException : Exception
{
    public AmiException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Asterisk refused the login (wrong user or secret, or not permitted from this address).</summary>
public sealed class AmiLoginException(string endpoint, string user, string? reason)
    : AmiException($"AMI login as '{user}' refused by {endpoint}: {reason ?? "no reason given"} (check Asterisk:Ami:User/Password against manager.conf)");

/// <summary>TCP connect to Asterisk failed or timed out.</summary>
public sealed class AmiConnectException(string endpoint, string reason, Exception? inner = null)
    : AmiException($"AMI connect to {endpoint} failed: {reason}", inner);

/// <summary>The action was answered with Response: Error.</summary>
public sealed class AmiActionFailedException(string action, string? actionId, string status, string? reason)
    : AmiException($"AMI action '{action}' (ActionID {actionId}) answered {status}: {reason ?? "no message"}");

/// <summary>No connection is logged in right now; nothing was sent.</summary>
public sealed class AmiNotConnectedException(string action, string state)
    : AmiException($"AMI action '{action}' not sent: {state}");

/// <summary>The connection was lost after a non-mutating action was sent; it is safe to send it again.</summary>
public sealed class AmiConnectionLostException(string action, string actionId, string reason)
    : AmiException($"AMI action '{action}' (ActionID {actionId}) got no response: connection lost ({reason}); safe to retry");

/// <summary>The connection was lost after a mutating action (Originate, Redirect, Hangup...) was sent. Asterisk may or may
/// not have carried it out, so it is not re-sent: reconcile (channels, ledger) instead.</summary>
public sealed class AmiResultUnknownException(string action, string actionId, string reason)
    : AmiException($"AMI action '{action}' (ActionID {actionId}) was sent but the connection was lost before its response ({reason}): " +
                   "its result is unknown and it is NOT re-sent; reconcile before acting again");

/// <summary>No response within <see cref="AmiOptions.ActionTimeout"/>. The message carries what is needed to tell
/// a slow Asterisk from a dead connection.</summary>
public sealed class AmiTimeoutException(string message) : AmiException(message);
