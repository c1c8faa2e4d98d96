using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Routing.Engine.Hosting;

/// <summary>
/// Checks the admin port before anything of the engine starts. Kestrel would find out too, but only
/// after the ARI connection, the ledger and (in `make run`) the simulator are up, and it reports it
/// with a stack trace and a cascade of shutdown warnings.
/// </summary>
public static class AdminPort
{
    /// <summary>Throws <see cref="AdminPortInUseException"/> when a fixed port of
    /// <paramref name="urls"/> (Admin:Urls, ';'-separated) is already listened on. Port 0, names other
    /// than localhost and any other bind error are left for Kestrel to judge.</summary>
    public static void EnsureFree(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (EndPointOf(url) is not { } endPoint)
            {
                continue;
            }

            using var probe = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(endPoint);
                probe.Listen();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new AdminPortInUseException(url, endPoint.Port, ex);
            }
            catch (SocketException)
            {
                // Not ours to judge here (no such address, no permission): Kestrel reports it.
            }
        }
    }

    /// <summary>True when <paramref name="exception"/> (or one inside it) is a bind that failed
    /// because the address is taken.</summary>
    public static bool IsAddressInUse(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AddressInUseException || e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first fixed port of <paramref name="urls"/>, for the message when Kestrel finds
    /// the port taken after all (someone took it between the check and the bind).</summary>
    public static (string Url, int Port) FirstFixed(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (EndPointOf(url) is { } endPoint)
            {
                return (url, endPoint.Port);
            }
        }

        return (urls, 0);
    }

    private static IPEndPoint? EndPointOf(string url)
    {
        // Kestrel's wildcards (http://*:9112, http://+:9112) are not valid URIs for Uri.
        var normalised = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            return null;
        }

        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, uri.Port);
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) ? new IPEndPoint(address, uri.Port) : null;
    }
}
