namespace Routing.Asterisk.Ami;

/// <summary>Connection to Asterisk's manager interface. Bound from configuration section "Asterisk:Ami";
/// <see cref="ToString"/> masks the password.</summary>
public sealed class AmiOptions
{
    public const string SectionName = "Asterisk:Ami";

    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 5038;
    public string User { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>TCP connect plus login.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an action waits for its response.</summary>
    public TimeSpan ActionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Log in with <c>Events: on</c>. Off for a connection that only sends actions (the dead man's
    /// switch): Asterisk then sends it no events at all.</summary>
    public bool ReceiveEvents { get; set; } = true;

    /// <summary>Events buffered before they are dropped and counted (never silently).</summary>
    public int EventBufferCapacity { get; set; } = 10_000;

    /// <summary>Prefix of the ActionIDs we generate, so our responses are told apart from anyone else's.</summary>
    public string ActionIdPrefix { get; set; } = "r112-";

    /// <summary>A message longer than this without its blank line is rejected and skipped.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    public string Endpoint => $"{Host}:{Port}";

    /// <summary>The same Asterisk and login for a connection that only sends actions (no events).</summary>
    public AmiOptions ActionsOnly()
    {
        var copy = (AmiOptions)MemberwiseClone();
        copy.ReceiveEvents = false;
        return copy;
    }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        const string p = SectionName + ":";
        if (string.IsNullOrWhiteSpace(Host)) errors.Add($"{p}Host must be set");
        if (Port is < 1 or > 65535) errors.Add($"{p}Port must be 1..65535 (got {Port})");
        if (string.IsNullOrEmpty(User) || User.AsSpan().ContainsAny('\r', '\n')) errors.Add($"{p}User must be set, on one line");
        if (string.IsNullOrEmpty(Password) || Password.AsSpan().ContainsAny('\r', '\n')) errors.Add($"{p}Password must be set (from configuration or environment), on one line");
        if (ConnectTimeout <= TimeSpan.Zero) errors.Add($"{p}ConnectTimeout must be positive (got {ConnectTimeout})");
        if (ActionTimeout <= TimeSpan.Zero) errors.Add($"{p}ActionTimeout must be positive (got {ActionTimeout})");
        if (ReconnectMinDelay <= TimeSpan.Zero) errors.Add($"{p}ReconnectMinDelay must be positive (got {ReconnectMinDelay})");
        if (ReconnectMaxDelay < ReconnectMinDelay) errors.Add($"{p}ReconnectMaxDelay must be >= ReconnectMinDelay (got {ReconnectMaxDelay} < {ReconnectMinDelay})");
        if (EventBufferCapacity < 1) errors.Add($"{p}EventBufferCapacity must be at least 1 (got {EventBufferCapacity})");
        if (string.IsNullOrEmpty(ActionIdPrefix) || ActionIdPrefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            errors.Add($"{p}ActionIdPrefix must be non-empty without spaces (got '{ActionIdPrefix}')");
        if (MaxMessageBytes < 1024) errors.Add($"{p}MaxMessageBytes must be at least 1024 (got {MaxMessageBytes})");
        return errors;
    }

    public override string ToString() =>
        $"Host={Host}, Port={Port}, User={User}, Password={(string.IsNullOrEmpty(Password) ? "(unset)" : "****")}, " +
        $"ConnectTimeout={ConnectTimeout}, ActionTimeout={ActionTimeout}, Reconnect={ReconnectMinDelay}..{ReconnectMaxDelay}, " +
        $"EventBufferCapacity={EventBufferCapacity}, ActionIdPrefix={ActionIdPrefix}";
}
