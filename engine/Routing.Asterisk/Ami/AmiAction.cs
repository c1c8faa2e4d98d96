using System.Text;

namespace Routing.Asterisk.Ami;

/// <summary>
/// An AMI action to send: a name and "Key: value" fields. The ActionID is added by the connection.
/// Values are checked for line breaks, which would let a hostile caller id inject AMI commands.
/// </summary>
public sealed class AmiAction
{
    // Actions whose effect we cannot know if the connection drops before the answer: never re-sent.
    private static readonly HashSet<string> MutatingNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Originate", "Redirect", "Hangup", "Atxfer", "BlindTransfer", "Bridge", "BridgeKick", "Park", "PlayDTMF",
        "Setvar", "DBPut", "DBDel", "DBDelTree", "MixMonitor", "StopMixMonitor", "QueueAdd", "QueueRemove", "QueuePause",
        "UserEvent", "SendText", "Command", "Reload", "ModuleLoad", "PJSIPHangup",
    };

    private readonly List<KeyValuePair<string, string>> _fields = [];

    public AmiAction(string name, bool? isMutating = null)
    {
        CheckToken(name, "action name");
        Name = name;
        IsMutating = isMutating ?? MutatingNames.Contains(name);
    }

    public string Name { get; }

    /// <summary>True when a lost answer leaves the outcome unknown (Originate, Redirect, Hangup...): never re-sent.</summary>
    public bool IsMutating { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public AmiAction Add(string key, string value)
    {
        CheckToken(key, "field name");
        if (key.Equals("Action", StringComparison.OrdinalIgnoreCase) || key.Equals("ActionID", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"AMI field '{key}' is set by the connection", nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().ContainsAny('\r', '\n'))
            throw new ArgumentException($"AMI field '{key}' of action '{Name}' contains a line break", nameof(value));
        _fields.Add(new KeyValuePair<string, string>(key, value));
        return this;
    }

    /// <summary>Adds a repeated "Variable: name=value" line (Originate, Setvar...).</summary>
    public AmiAction AddVariable(string name, string value)
    {
        CheckToken(name, "variable name");
        if (name.Contains('=')) throw new ArgumentException($"AMI variable name '{name}' contains '='", nameof(name));
        return Add("Variable", $"{name}={value}");
    }

    /// <summary>The bytes on the wire: "Action: X\r\nActionID: id\r\n...\r\n\r\n".</summary>
    public byte[] Serialize(string actionId)
    {
        CheckToken(actionId, "ActionID");
        var text = new StringBuilder().Append("Action: ").Append(Name).Append("\r\nActionID: ").Append(actionId).Append("\r\n");
        foreach (var (key, value) in _fields) text.Append(key).Append(": ").Append(value).Append("\r\n");
        return Encoding.UTF8.GetBytes(text.Append("\r\n").ToString());
    }

    /// <summary>The action with Secret masked, for logs and exceptions.</summary>
    public override string ToString() =>
        $"{Name}({string.Join(", ", _fields.Select(f => f.Key + "=" + (f.Key.Equals("Secret", StringComparison.OrdinalIgnoreCase) ? "****" : f.Value)))})";

    public static AmiAction Ping() => new("Ping");

    public static AmiAction Login(string user, string password, bool events = true) =>
        new AmiAction("Login", isMutating: false).Add("Username", user).Add("Secret", password).Add("Events", events ? "on" : "off");

    /// <summary>Sets a channel variable or writes a dialplan function (main/manager.c action_setvar runs
    /// pbx_builtin_setvar_helper on the manager's thread: unlike ARI's, it does not wait for the channel's
    /// Stasis command queue, which a playing prompt holds). <paramref name="channel"/> is a channel name or
    /// uniqueid (ast_channel_get_by_name).</summary>
    public static AmiAction Setvar(string channel, string variable, string value) =>
        new AmiAction("Setvar").Add("Channel", channel).Add("Variable", variable).Add("Value", value);

    /// <summary>Setvar without a channel sets a global variable (main/manager.c action_setvar).</summary>
    public static AmiAction SetGlobal(string variable, string value) =>
        new AmiAction("Setvar").Add("Variable", variable).Add("Value", value);

    public static AmiAction Logoff() => new("Logoff");

    /// <summary>A CLI command. Counted as mutating: "channel request hangup" is a CLI command too.</summary>
    public static AmiAction Command(string cli) => new AmiAction("Command").Add("Command", cli);

    private static void CheckToken(string value, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.AsSpan().ContainsAny('\r', '\n', ':'))
            throw new ArgumentException($"AMI {what} '{value}' must be non-empty, on one line, without ':'");
    }
}
