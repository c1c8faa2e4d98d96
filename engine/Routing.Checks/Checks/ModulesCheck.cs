using Routing.Checks.Asterisk;

namespace Routing.Checks.Checks;

/// <summary>
/// modules.conf: with <c>autoload = yes</c> Asterisk loads every module it was built with, so each
/// module that listens on the network, adds dialplan of its own or serves WebSocket endpoints must
/// be <c>noload</c>; and nothing the engine needs (ARI's WebSocket, Stasis, PJSIP) may be.
/// </summary>
internal static class ModulesCheck
{
    /// <summary>Module → why it must not load.</summary>
    public static IReadOnlyDictionary<string, string> Forbidden { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["pbx_ael.so"] = "it loads extensions.ael (the sample's contexts end up in the dialplan)",
        ["pbx_lua.so"] = "it loads extensions.lua into the dialplan",
        ["chan_websocket.so"] = "it serves WebSocket media channels on the HTTP server",
        ["res_pjsip_transport_websocket.so"] = "it serves SIP over WebSocket on the HTTP server",
        ["chan_iax2.so"] = "it listens for IAX2 on UDP 4569",
        ["chan_unistim.so"] = "it listens for Unistim phones",
        ["chan_skinny.so"] = "it listens for Skinny phones on TCP 2000",
        ["chan_mgcp.so"] = "it listens for MGCP on UDP 2727",
        ["pbx_dundi.so"] = "it listens for DUNDi on UDP 4520",
        ["res_hep.so"] = "it sends SIP/RTP captures to a HEP server",
        ["res_phoneprov.so"] = "it serves phone provisioning files over HTTP",
        ["res_xmpp.so"] = "it connects to XMPP servers",
        // Asterisk 23.4.1 segfaults on the first GEOLOC_PROFILE read (dialplan or ARI) of a call whose PIDF-LO did
        // not parse (tests/fixtures/asterisk-traces/turn2/asterisk-crash-geolocation.txt): a hostile caller could take
        // the 112 PBX down. The engine reads the Geolocation header with PJSIP_HEADER and parses PIDF-LO itself.
        ["res_geolocation.so"] = "Asterisk 23.4.1 crashes (segfault) on the first GEOLOC_PROFILE read of a malformed PIDF-LO; the engine reads location itself (dialplans/README.md, Location)",
        ["res_pjsip_geolocation.so"] = "it parses every caller's PIDF-LO with res_geolocation, whose GEOLOC_PROFILE then crashes Asterisk 23.4.1 on a malformed one (dialplans/README.md, Location)",
    };

    /// <summary>Modules the engine's path needs; a noload of one stops ARI or the calls.</summary>
    public static IReadOnlyList<string> Needed { get; } =
        ["res_http_websocket.so", "res_ari.so", "res_stasis.so", "app_stasis.so", "res_pjsip.so", "chan_pjsip.so", "res_pjsip_caller_id.so", "res_pjsip_session.so"];

    /// <summary>Module → what of dialplans/extensions.conf stops without it (the caller would not reach
    /// anyone, or the call would not be recorded). load-tests/asterisk/scratch.sh and dialplans/install.sh
    /// check the same list on a running Asterisk (keep them in step).</summary>
    public static IReadOnlyDictionary<string, string> DialplanNeeds { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["pbx_config.so"] = "it loads extensions.conf",
        ["app_dial.so"] = "Dial(): the fallback reaches no one",
        ["app_stack.so"] = "Gosub()/Return()/LOCAL(): sub-record and sub-fallback",
        ["app_exec.so"] = "ExecIf()/TryExec() of the fallback",
        ["app_userevent.so"] = "UserEvent(Routing112Fallback): the running engine's record of a fallback call",
        ["app_mixmonitor.so"] = "MixMonitor(): calls are recorded from arrival (sub-record)",
        ["func_strings.so"] = "FILTER() and STRFTIME(): the fallback's trunk names and the recording's path",
        ["func_callerid.so"] = "CALLERID(): the caller's region and the identity agencies see",
    };

    /// <summary>Modules the dialplan uses without depending on them: their loss costs evidence, never a caller.</summary>
    public static IReadOnlyDictionary<string, string> DialplanOptional { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["res_stasis_device_state.so"] = "ARI's deviceState: event source: without it the engine's subscription is refused (\"Invalid event source URI scheme\") and the engine reads the call-takers' endpoints every Centre:DevicePollInterval (5 s) instead, so a desk phone that registers or goes away is noticed up to that late",
        ["app_celgenuserevent.so"] = "the fallback's CEL marker (TryExec(CELGenUserEvent(routing112-fallback,…))): calls routed while the engine is down could not be recorded afterwards",
        ["func_uri.so"] = "URIENCODE() of the text fallback's CEL record (routing112-text-fallback): without it texts forwarded while the engine is away reach the ledger without their body and Call-ID",
    };

    public static void Run(string dialplansDir, Findings findings)
    {
        var path = ConfigFiles.Locate(dialplansDir, "modules.conf");
        if (path is null)
        {
            findings.Error(Path.Combine(dialplansDir, "modules.conf"), 0, "no modules.conf: Asterisk would autoload every module it was built with, listeners included");
            return;
        }
        var section = ConfFile.Load(path, findings).Named("modules").LastOrDefault();
        if (section is null)
        {
            findings.Error(path, 0, "modules.conf has no [modules] section");
            return;
        }
        var noload = section.Own.Where(e => e.Key.Equals("noload", StringComparison.OrdinalIgnoreCase))
            .GroupBy(e => e.Value, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        foreach (var entry in section.Own.Where(e => e.Key is "load" or "require" or "preload" or "preload-require"))
        {
            if (Forbidden.TryGetValue(entry.Value, out var why))
                findings.Error(entry.File, entry.Line, $"{entry.Key} = {entry.Value}: must not load: {why}");
        }
        if (string.Equals(section.Value("autoload"), "yes", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (module, why) in Forbidden)
            {
                if (!noload.ContainsKey(module))
                    findings.Error(path, section.Line, $"autoload = yes loads {module}: {why}; add noload = {module}");
            }
        }
        foreach (var module in Needed)
        {
            if (noload.TryGetValue(module, out var entry))
                findings.Error(entry.File, entry.Line, $"noload = {module}: the engine needs it (ARI, Stasis or PJSIP calls would not work)");
        }
        foreach (var (module, why) in DialplanNeeds)
        {
            if (noload.TryGetValue(module, out var entry))
                findings.Error(entry.File, entry.Line, $"noload = {module}: the dialplan needs it: {why}");
        }
        foreach (var (module, why) in DialplanOptional)
        {
            if (noload.TryGetValue(module, out var entry))
                findings.Warning(entry.File, entry.Line, $"noload = {module}: {why}");
        }
    }
}
