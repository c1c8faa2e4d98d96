using System.Text;
using Routing.Simulator.Model;

namespace Routing.Simulator.Ami;

/// <summary>AMI event text as Asterisk 23 writes it (field sets copied from the ami-*.transcript.txt recordings).</summary>
internal static class AmiFrames
{
    public const string Banner = "Asterisk Call Manager/12.0.0\r\n";

    public static string Newchannel(SimChannel c) => ChannelEvent("Newchannel", "call,all", c, null);

    public static string Newstate(SimChannel c) => ChannelEvent("Newstate", "call,all", c, null);

    public static string Newexten(SimChannel c, string application, string appData) =>
        ChannelEvent("Newexten", "dialplan,all", c, sb =>
        {
            Field(sb, "Extension", c.Exten);
            Field(sb, "Application", application);
            Field(sb, "AppData", appData);
        });

    public static string VarSet(SimChannel c, string variable, string value) =>
        ChannelEvent("VarSet", "dialplan,all", c, sb =>
        {
            Field(sb, "Variable", variable);
            Field(sb, "Value", value);
        });

    /// <summary>A BYE from the caller carries no Cause (turn2/ami-warm-transfer.txt).</summary>
    public static string HangupRequest(SimChannel c, int? cause, int? techCause = null) =>
        ChannelEvent("HangupRequest", "call,all", c, sb =>
        {
            if (cause is int k) Field(sb, "Cause", k.ToString());
            if (techCause is int t) Field(sb, "TechCause", t.ToString());
        });

    public static string SoftHangupRequest(SimChannel c, int cause) =>
        ChannelEvent("SoftHangupRequest", "call,all", c, sb => Field(sb, "Cause", cause.ToString()));

    public static string Hangup(SimChannel c, int cause, int? techCause = null) =>
        ChannelEvent("Hangup", "call,all", c, sb =>
        {
            Field(sb, "Cause", cause.ToString());
            Field(sb, "Cause-txt", HangupCauses.Text(cause));
            if (techCause is int t) Field(sb, "TechCause", t.ToString());
        });

    public static string Dtmf(SimChannel c, bool begin, char digit, int durationMs, bool received) =>
        ChannelEvent(begin ? "DTMFBegin" : "DTMFEnd", "dtmf,all", c, sb =>
        {
            Field(sb, "Digit", digit.ToString());
            if (!begin) Field(sb, "DurationMs", durationMs.ToString());
            Field(sb, "Direction", received ? "Received" : "Sent");
        });

    /// <summary>DialBegin/DialState/DialEnd; an ARI originate has no calling channel, so only the Dest* block is written.</summary>
    public static string Dial(string eventName, SimChannel? caller, SimChannel dest, string dialString, string? dialStatus)
    {
        var sb = Start(eventName, "call,all");
        if (caller is not null) ChannelBlock(sb, caller, "");
        ChannelBlock(sb, dest, "Dest");
        if (dialString.Length > 0 && eventName == "DialBegin") Field(sb, "DialString", dialString);
        if (dialStatus is not null) Field(sb, "DialStatus", dialStatus);
        return End(sb);
    }

    public static string Bridge(string eventName, SimBridge b, SimChannel? c)
    {
        var sb = Start(eventName, "call,all");
        Field(sb, "BridgeUniqueid", b.Id);
        Field(sb, "BridgeType", b.BridgeClass);
        Field(sb, "BridgeTechnology", b.Technology);
        Field(sb, "BridgeCreator", Unknown(b.BridgeClass == "stasis" ? b.Creator : ""));
        Field(sb, "BridgeName", Unknown(b.Name));
        Field(sb, "BridgeNumChannels", b.Channels.Count.ToString());
        Field(sb, "BridgeVideoSourceMode", b.BridgeClass == "stasis" ? b.VideoMode : "none");
        if (c is not null) ChannelBlock(sb, c, "");
        return End(sb);
    }

    public static string FullyBooted(TimeSpan uptime)
    {
        var sb = Start("FullyBooted", "system,all");
        string seconds = ((long)uptime.TotalSeconds).ToString();
        Field(sb, "Uptime", seconds);
        Field(sb, "LastReload", seconds);
        Field(sb, "Status", "Fully Booted");
        return End(sb);
    }

    public static string SuccessfulAuth(string user, string eventTv, string sessionId, string local, string remote)
    {
        var sb = Start("SuccessfulAuth", "security,all");
        Field(sb, "EventTV", eventTv);
        Field(sb, "Severity", "Informational");
        Field(sb, "Service", "AMI");
        Field(sb, "EventVersion", "1");
        Field(sb, "AccountID", user);
        Field(sb, "SessionID", sessionId);
        Field(sb, "LocalAddress", local);
        Field(sb, "RemoteAddress", remote);
        Field(sb, "UsingPassword", "0");
        Field(sb, "SessionTV", eventTv);
        return End(sb);
    }

    /// <summary>A response: "Response: X", the ActionID if the action had one, then the given fields.</summary>
    public static string Response(string response, string? actionId, params (string Key, string Value)[] fields)
    {
        var sb = new StringBuilder(128);
        Field(sb, "Response", response);
        if (actionId is not null) Field(sb, "ActionID", actionId);
        foreach (var (k, v) in fields) Field(sb, k, v);
        return End(sb);
    }

    private static string ChannelEvent(string name, string privilege, SimChannel c, Action<StringBuilder>? extra)
    {
        var sb = Start(name, privilege);
        ChannelBlock(sb, c, "");
        extra?.Invoke(sb);
        return End(sb);
    }

    private static void ChannelBlock(StringBuilder sb, SimChannel c, string prefix)
    {
        Field(sb, prefix + "Channel", c.Name);
        Field(sb, prefix + "ChannelState", ((int)c.State).ToString());
        Field(sb, prefix + "ChannelStateDesc", c.State.ToString());
        Field(sb, prefix + "CallerIDNum", Unknown(c.Caller.Number));
        Field(sb, prefix + "CallerIDName", Unknown(c.Caller.Name));
        Field(sb, prefix + "ConnectedLineNum", Unknown(c.Connected.Number));
        Field(sb, prefix + "ConnectedLineName", Unknown(c.Connected.Name));
        Field(sb, prefix + "Language", c.Language);
        Field(sb, prefix + "AccountCode", "");
        Field(sb, prefix + "Context", c.Context);
        Field(sb, prefix + "Exten", c.Exten);
        Field(sb, prefix + "Priority", c.Priority.ToString());
        Field(sb, prefix + "Uniqueid", c.Id);
        Field(sb, prefix + "Linkedid", c.LinkedId);
    }

    private static string Unknown(string value) => value.Length == 0 ? "<unknown>" : value;

    private static StringBuilder Start(string eventName, string privilege)
    {
        var sb = new StringBuilder(640);
        Field(sb, "Event", eventName);
        Field(sb, "Privilege", privilege);
        return sb;
    }

    private static string End(StringBuilder sb) => sb.Append("\r\n").ToString();

    /// <summary>A hostile caller name with CR/LF must not end the AMI message early: line breaks become spaces.</summary>
    private static void Field(StringBuilder sb, string key, string value)
    {
        sb.Append(key).Append(": ");
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0) value = value.Replace('\r', ' ').Replace('\n', ' ');
        sb.Append(value).Append("\r\n");
    }
}
