namespace Routing.Asterisk.Ari;

/// <summary>The value of a channel variable (asterisk.json model Variable).</summary>
public sealed record AriVariable(string Value);
