namespace Routing.Checks.Checks;

/// <summary>Finds an Asterisk file in the checked directory: the installed <c>name</c> or the
/// repository's template <c>name.in</c> (placeholders left in; they never name sections).</summary>
internal static class ConfigFiles
{
    public static string? Locate(string directory, string name)
    {
        var plain = Path.Combine(directory, name);
        if (File.Exists(plain)) return plain;
        var template = plain + ".in";
        return File.Exists(template) ? template : null;
    }

    public static bool IsLoopback(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return false;
        var host = address.Trim().Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip);
    }
}
