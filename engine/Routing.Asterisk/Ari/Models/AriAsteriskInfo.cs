namespace Routing.Asterisk.Ari;

/// <summary>GET /asterisk/info (asterisk.json model AsteriskInfo). Every part is optional: the "only" query filter drops the others.</summary>
public sealed record AriAsteriskInfo(
    AriBuildInfo? Build = null,
    AriSystemInfo? System = null,
    AriConfigInfo? Config = null,
    AriStatusInfo? Status = null);

public sealed record AriBuildInfo(string Os = "", string Kernel = "", string Options = "", string Machine = "", string Date = "", string User = "");

public sealed record AriSystemInfo(string Version = "", string EntityId = "");

public sealed record AriSetId(string User = "", string Group = "");

public sealed record AriConfigInfo(
    string Name = "",
    string DefaultLanguage = "",
    int? MaxChannels = null,
    int? MaxOpenFiles = null,
    double? MaxLoad = null,
    AriSetId? Setid = null);

public sealed record AriStatusInfo(DateTimeOffset? StartupTime = null, DateTimeOffset? LastReloadTime = null);

/// <summary>A device state (events.json model DeviceState), e.g. PJSIP/police RINGING.</summary>
public sealed record AriDeviceState(string Name, string State);
