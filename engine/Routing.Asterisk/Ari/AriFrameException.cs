namespace Routing.Asterisk.Ari;

/// <summary>An ARI websocket message that is not a valid event. <see cref="Excerpt"/> is the start of the frame.</summary>
public sealed class AriFrameException : Exception
{
    public AriFrameException(string message, string excerpt, Exception? inner = null)
        : base($"{message} (frame starts: {excerpt})", inner)
    {
        Reason = message;
        Excerpt = excerpt;
    }

    public string Reason { get; }
    public string Excerpt { get; }
}
