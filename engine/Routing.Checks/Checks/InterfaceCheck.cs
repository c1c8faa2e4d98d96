using Routing.Checks.Asterisk;

namespace Routing.Checks.Checks;

/// <summary>ari.conf, manager.conf and http.conf against the engine's Asterisk settings: the
/// users exist, and AMI and HTTP listen where the engine connects, on loopback.</summary>
internal static class InterfaceCheck
{
    public static void CheckAri(string dialplansDir, AsteriskSettings asterisk, string settingsPath, Findings findings)
    {
        var file = Load(dialplansDir, "ari.conf", "ARI would refuse the engine", findings);
        if (file is null) return;
        if (file.Named("general").LastOrDefault()?.Last("enabled") is { } enabled && IsNo(enabled.Value))
            findings.Error(enabled.File, enabled.Line, "ARI is disabled (enabled = no): the engine cannot connect");

        var user = file.Named(asterisk.AriUser).LastOrDefault(s => string.Equals(s.Value("type"), "user", StringComparison.OrdinalIgnoreCase));
        if (user is null)
        {
            findings.Error(file.Path, 0, $"no [{asterisk.AriUser}] section with type = user, the ARI user of Asterisk:Ari:User{Origin(settingsPath, asterisk.AriUserLine)}");
            return;
        }
        if (user.Last("read_only") is { } readOnly && IsYes(readOnly.Value))
            findings.Error(readOnly.File, readOnly.Line, $"ARI user [{user.Name}] is read_only: the engine could not answer, play or bridge");
        if (string.IsNullOrWhiteSpace(user.Value("password")))
            findings.Error(user.File, user.Line, $"ARI user [{user.Name}] has no password");
    }

    public static void CheckManager(string dialplansDir, AsteriskSettings asterisk, string settingsPath, Findings findings)
    {
        var file = Load(dialplansDir, "manager.conf", "AMI would refuse the engine", findings);
        if (file is null) return;
        var general = file.Named("general").LastOrDefault();
        if (general is null)
        {
            findings.Error(file.Path, 0, "no [general] section: AMI stays disabled");
            return;
        }
        if (!IsYes(general.Value("enabled") ?? "no"))
            findings.Error(general.File, general.Last("enabled")?.Line ?? general.Line, "AMI is not enabled (enabled = yes): the engine cannot observe trunks or fallback calls");

        // manager.conf's bindaddr defaults to 0.0.0.0 (every interface).
        var bind = general.Last("bindaddr");
        if (bind is null)
            findings.Error(general.File, general.Line, "AMI has no bindaddr and so listens on every interface (0.0.0.0); set bindaddr = 127.0.0.1");
        else if (!ConfigFiles.IsLoopback(bind.Value))
            findings.Error(bind.File, bind.Line, $"AMI binds {bind.Value}: it must listen on loopback only (bindaddr = 127.0.0.1); AMI is never safe on a network");

        var portEntry = general.Last("port");
        var port = portEntry is not null && int.TryParse(portEntry.Value, out var p) ? p : AsteriskSettings.DefaultAmiPort;
        if (port != asterisk.AmiPort)
            findings.Error(portEntry?.File ?? general.File, portEntry?.Line ?? general.Line,
                $"AMI listens on port {port}, but the engine connects to Asterisk:Ami:Port {asterisk.AmiPort}{Origin(settingsPath, asterisk.AmiPortLine)}");

        var user = file.Named(asterisk.AmiUser).LastOrDefault();
        if (user is null)
            findings.Error(file.Path, 0, $"no [{asterisk.AmiUser}] section, the AMI user of Asterisk:Ami:User{Origin(settingsPath, asterisk.AmiUserLine)}");
        else if (string.IsNullOrWhiteSpace(user.Value("secret")))
            findings.Error(user.File, user.Line, $"AMI user [{user.Name}] has no secret");
        if (user is not null) ManagerFilterCheck.Run(user, findings);
    }

    public static void CheckHttp(string dialplansDir, AsteriskSettings asterisk, string settingsPath, Findings findings)
    {
        var file = Load(dialplansDir, "http.conf", "ARI has no HTTP server", findings);
        if (file is null) return;
        var general = file.Named("general").LastOrDefault();
        if (general is null)
        {
            findings.Error(file.Path, 0, "no [general] section: the HTTP server (and so ARI) stays off");
            return;
        }
        if (!IsYes(general.Value("enabled") ?? "no"))
            findings.Error(general.File, general.Last("enabled")?.Line ?? general.Line, "the HTTP server is not enabled (enabled = yes): ARI is unreachable");

        var url = asterisk.AriBaseUrl;
        var bind = general.Last("bindaddr");
        if (bind is null)
        {
            findings.Error(general.File, general.Line, "http.conf has no bindaddr: Asterisk does not start its HTTP server without one");
        }
        else if (!ConfigFiles.IsLoopback(bind.Value))
        {
            var configured = url is not null && string.Equals(url.Host, bind.Value, StringComparison.OrdinalIgnoreCase);
            if (!configured)
                findings.Error(bind.File, bind.Line, $"the HTTP server (ARI) binds {bind.Value}: it must listen on loopback (127.0.0.1) or on the host of Asterisk:Ari:BaseUrl");
        }
        else if (url is not null && !ConfigFiles.IsLoopback(url.Host) && !url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            findings.Error(bind.File, bind.Line, $"the HTTP server (ARI) binds {bind.Value}, but the engine connects to {url.Host} (Asterisk:Ari:BaseUrl{Origin(settingsPath, asterisk.AriBaseUrlLine)})");
        }

        var portEntry = general.Last("bindport");
        var port = portEntry is not null && int.TryParse(portEntry.Value, out var p) ? p : 8088;
        if (url is not null && url.Port != port)
            findings.Error(portEntry?.File ?? general.File, portEntry?.Line ?? general.Line,
                $"the HTTP server listens on port {port}, but Asterisk:Ari:BaseUrl uses port {url.Port}{Origin(settingsPath, asterisk.AriBaseUrlLine)}");
    }

    private static ConfFile? Load(string dir, string name, string consequence, Findings findings)
    {
        var path = ConfigFiles.Locate(dir, name);
        if (path is null)
        {
            findings.Error(Path.Combine(dir, name), 0, $"no {name} (or {name}.in): {consequence}");
            return null;
        }
        return ConfFile.Load(path, findings);
    }

    private static string Origin(string settingsPath, int line) => line > 0 ? $" ({settingsPath}:{line})" : "";

    private static bool IsYes(string value) => value.Trim().ToLowerInvariant() is "yes" or "true" or "y" or "t" or "1" or "on";

    private static bool IsNo(string value) => value.Trim().ToLowerInvariant() is "no" or "false" or "n" or "f" or "0" or "off";
}
