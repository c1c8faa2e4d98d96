using Routing.Checks.Settings;

namespace Routing.Checks.Checks;

/// <summary>The engine's Asterisk connection settings that Asterisk's own files must agree with,
/// each with the line it came from (0 when the contract default is used).</summary>
internal sealed record AsteriskSettings(
    string AriApplication, int AriApplicationLine,
    string AriUser, int AriUserLine,
    Uri? AriBaseUrl, int AriBaseUrlLine,
    string AmiUser, int AmiUserLine,
    int AmiPort, int AmiPortLine,
    int DeadMansSwitchSeconds = AsteriskSettings.DefaultDeadMansSwitchSeconds, int DeadMansSwitchLine = 0,
    string AssertedIdentityHost = AsteriskSettings.DefaultAssertedIdentityHost, int AssertedIdentityHostLine = 0)
{
    /// <summary>The engine's default of Asterisk:AssertedIdentityHost (Routing.Engine's AsteriskOptions).</summary>
    public const string DefaultAssertedIdentityHost = "127.0.0.1";

    /// <summary>The engine's default of Asterisk:DeadMansSwitch (Routing.Engine's AsteriskOptions).</summary>
    public const int DefaultDeadMansSwitchSeconds = 6;

    public const string DefaultApplication = "routing112";
    public const string DefaultUser = "routing";
    public const int DefaultAmiPort = 5038;

    public static AsteriskSettings Defaults { get; } = new(
        DefaultApplication, 0, DefaultUser, 0, new Uri("http://127.0.0.1:8088/ari/"), 0, DefaultUser, 0, DefaultAmiPort, 0);

    public static AsteriskSettings From(AppSettingsFile file, Findings findings)
    {
        string Read(string key, string fallback, out int line)
        {
            var value = file.GetString(key);
            line = value is null ? 0 : file.LineOf(key);
            if (string.IsNullOrWhiteSpace(value))
            {
                // The engine has a default for it too; say which value the Asterisk files were held to.
                findings.Warning(file.Path, file.LineOf(key), $"{key} is not set; Asterisk's files are checked against '{fallback}'");
                return fallback;
            }
            return value;
        }

        var app = Read("Asterisk:Ari:Application", DefaultApplication, out var appLine);
        var ariUser = Read("Asterisk:Ari:User", DefaultUser, out var ariUserLine);
        var baseUrlText = Read("Asterisk:Ari:BaseUrl", "http://127.0.0.1:8088/ari/", out var baseUrlLine);
        if (!Uri.TryCreate(baseUrlText, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            findings.Error(file.Path, baseUrlLine, $"Asterisk:Ari:BaseUrl '{baseUrlText}' is not an http(s) URL");
            baseUrl = null;
        }
        var amiUser = Read("Asterisk:Ami:User", DefaultUser, out var amiUserLine);
        var portText = file.GetString("Asterisk:Ami:Port");
        var port = DefaultAmiPort;
        var portLine = 0;
        if (portText is not null)
        {
            portLine = file.LineOf("Asterisk:Ami:Port");
            if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                findings.Error(file.Path, portLine, $"Asterisk:Ami:Port '{portText}' is not a TCP port");
                port = DefaultAmiPort;
            }
        }
        var (deadMan, deadManLine) = DeadMansSwitch(file, findings);
        var identityHost = file.GetString("Asterisk:AssertedIdentityHost") ?? DefaultAssertedIdentityHost;
        var identityHostLine = file.GetString("Asterisk:AssertedIdentityHost") is null ? 0 : file.LineOf("Asterisk:AssertedIdentityHost");
        return new AsteriskSettings(app, appLine, ariUser, ariUserLine, baseUrl, baseUrlLine, amiUser, amiUserLine, port, portLine, deadMan, deadManLine,
            identityHost, identityHostLine);
    }

    /// <summary>Asterisk:DeadMansSwitch in whole seconds (0 = off), as the engine binds it (a TimeSpan).</summary>
    private static (int Seconds, int Line) DeadMansSwitch(AppSettingsFile file, Findings findings)
    {
        const string key = "Asterisk:DeadMansSwitch";
        var text = file.GetString(key);
        if (text is null) return (DefaultDeadMansSwitchSeconds, 0);
        var line = file.LineOf(key);
        if (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var window) || window < TimeSpan.Zero
            || window.Ticks % TimeSpan.TicksPerSecond != 0 || (window > TimeSpan.Zero && window < TimeSpan.FromSeconds(2)))
        {
            findings.Error(file.Path, line, $"{key} '{text}' is not zero (off) or whole seconds of at least 2, e.g. \"00:00:06\"");
            return (DefaultDeadMansSwitchSeconds, line);
        }
        return ((int)window.TotalSeconds, line);
    }
}
