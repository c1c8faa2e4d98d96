using Routing.Checks.Asterisk;

namespace Routing.Checks.Checks;

/// <summary>
/// Nothing in the shipped configuration may make Asterisk parse a caller's PIDF-LO: Asterisk 23.4.1 segfaults on the
/// first <c>GEOLOC_PROFILE</c> read of a malformed one (turn2 asterisk-crash-geolocation.txt). modules.conf keeps
/// res_geolocation and res_pjsip_geolocation noloaded (<see cref="ModulesCheck"/>); this check refuses the settings
/// that would use them anyway: a <c>geoloc_*_call_profile</c> on a PJSIP endpoint, and <c>GEOLOC_PROFILE</c> /
/// <c>GEOLOC_ERROR</c> in the dialplan. Reading the header with <c>PJSIP_HEADER(read,Geolocation)</c> is the safe way.
/// </summary>
internal static class GeolocationCheck
{
    private static readonly string[] EndpointKeys = ["geoloc_incoming_call_profile", "geoloc_outgoing_call_profile"];
    private static readonly string[] DialplanFunctions = ["GEOLOC_PROFILE", "GEOLOC_ERROR"];

    public static void Run(string dialplansDir, Findings findings)
    {
        if (ConfigFiles.Locate(dialplansDir, "pjsip.conf") is { } pjsip)
        {
            foreach (var section in ConfFile.Load(pjsip, new Findings()).Sections)
            {
                foreach (var entry in section.Own.Where(e => EndpointKeys.Contains(e.Key, StringComparer.OrdinalIgnoreCase) && e.Value.Trim().Length > 0))
                {
                    findings.Error(entry.File, entry.Line,
                        $"[{section.Name}] {entry.Key} = {entry.Value}: makes Asterisk parse the caller's PIDF-LO, and Asterisk 23.4.1 crashes on a malformed one; leave it unset (dialplans/README.md, Location)");
                }
            }
        }

        if (ConfigFiles.Locate(dialplansDir, "extensions.conf") is { } extensions)
        {
            foreach (var section in ConfFile.Load(extensions, new Findings()).Sections)
            {
                foreach (var entry in section.Own)
                {
                    if (DialplanFunctions.FirstOrDefault(f => entry.Value.Contains(f + "(", StringComparison.OrdinalIgnoreCase) || entry.Value.Contains("${" + f + "}", StringComparison.OrdinalIgnoreCase)) is { } function)
                    {
                        findings.Error(entry.File, entry.Line,
                            $"[{section.Name}] uses {function}: Asterisk 23.4.1 crashes on its first read for a caller whose PIDF-LO is malformed; read PJSIP_HEADER(read,Geolocation) and let the engine parse it (dialplans/README.md, Location)");
                    }
                }
            }
        }
    }
}
