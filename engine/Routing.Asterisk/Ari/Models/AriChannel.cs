using System.Text.Json.Serialization;

namespace Routing.Asterisk.Ari;

/// <summary>Caller or connected line identity (ARI model CallerID).</summary>
public sealed record AriCallerId(string Name = "", string Number = "");

/// <summary>Where a channel is in the dialplan (ARI model DialplanCEP).</summary>
public sealed record AriDialplanLocation(
    string Context = "",
    string Exten = "",
    long Priority = 0,
    string AppName = "",
    string AppData = "");

/// <summary>An Asterisk channel as ARI reports it (channels.json model Channel).
/// Only id, name and state are required here, so an older or newer Asterisk that omits a field still parses.</summary>
public sealed record AriChannel(
    string Id,
    string Name,
    string State,
    AriCallerId? Caller = null,
    AriCallerId? Connected = null,
    string Accountcode = "",
    AriDialplanLocation? Dialplan = null,
    [property: JsonPropertyName("creationtime")] DateTimeOffset? CreationTime = null,
    string Language = "",
    string? ProtocolId = null,
    string? CallerRdnis = null,
    string? Tenantid = null,
    IReadOnlyDictionary<string, string>? Channelvars = null);
