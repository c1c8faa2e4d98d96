namespace Routing.Asterisk.Ami;

/// <summary>The answer to one action. For list actions (CoreShowChannels...) <see cref="Events"/> holds the
/// events that came with our ActionID up to the "EventList: Complete" one.</summary>
public sealed class AmiResponse
{
    public AmiResponse(AmiMessage message, IReadOnlyList<AmiMessage>? events = null)
    {
        Message = message;
        Events = events ?? [];
    }

    public AmiMessage Message { get; }
    public IReadOnlyList<AmiMessage> Events { get; }

    /// <summary>Success, Error, Follows or Goodbye.</summary>
    public string Status => Message.ResponseStatus ?? "";

    public bool IsSuccess => Status.Equals("Success", StringComparison.OrdinalIgnoreCase)
                             || Status.Equals("Follows", StringComparison.OrdinalIgnoreCase)
                             || Status.Equals("Goodbye", StringComparison.OrdinalIgnoreCase);

    /// <summary>The "Message:" text, e.g. "Authentication accepted" or "Channel not found".</summary>
    public string? Text => Message["Message"];

    public string? ActionId => Message.ActionId;

    /// <summary>CLI output lines of a Command action.</summary>
    public IReadOnlyList<string> Output => Message.Output;

    public AmiResponse EnsureSuccess(string action) =>
        IsSuccess ? this : throw new AmiActionFailedException(action, ActionId, Status, Text);
}
