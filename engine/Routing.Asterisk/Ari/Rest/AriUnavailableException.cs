namespace Routing.Asterisk.Ari;

/// <summary>Asterisk's HTTP server could not be reached or closed the connection before answering.</summary>
public sealed class AriUnavailableException : Exception
{
    public AriUnavailableException(string method, string path, Uri baseUrl, Exception inner)
        : base($"ARI {method} {path} could not reach {baseUrl}: {inner.Message}", inner)
    {
        Method = method;
        Path = path;
    }

    public string Method { get; }
    public string Path { get; }
}
