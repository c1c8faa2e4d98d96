namespace Routing.Engine.Hosting;

/// <summary>The admin port (Admin:Urls) is taken, most often by another `routing run`. Said in one
/// line: a stack trace would only hide the one thing a person has to do.</summary>
public sealed class AdminPortInUseException(string url, int port, Exception? inner = null)
    : Exception($"port {port} is in use (another routing run?): set Admin:Urls or stop it", inner)
{
    /// <summary>The Admin:Urls entry that could not be bound.</summary>
    public string Url { get; } = url;

    public int Port { get; } = port;
}
