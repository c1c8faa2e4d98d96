using Routing.Simulator.Model;

namespace Routing.Simulator.Ari;

/// <summary>The ARI events the simulator emits, shaped like Asterisk 23.4.1's (field order included).</summary>
internal static class AriEvents
{
    public static string StasisStart(DateTimeOffset now, IReadOnlyList<string> args, SimChannel c) =>
        AriJson.Event("StasisStart", now, null, w =>
        {
            w.WriteStartArray("args");
            foreach (var a in args) w.WriteStringValue(a);
            w.WriteEndArray();
            w.WritePropertyName("channel"); AriJson.Channel(w, c);
        });

    /// <summary>main/stasis.c multi_user_event_to_json: type, timestamp, eventname, userevent (the blob, eventname included).</summary>
    public static string UserEvent(DateTimeOffset now, string eventName) =>
        AriJson.Event("ChannelUserevent", now, null, w =>
        {
            w.WriteString("eventname", eventName);
            w.WriteStartObject("userevent");
            w.WriteString("eventname", eventName);
            w.WriteEndObject();
        });

    public static string StasisEnd(DateTimeOffset now, SimChannel c) => WithChannel("StasisEnd", now, c);

    public static string ChannelStateChange(DateTimeOffset now, SimChannel c) => WithChannel("ChannelStateChange", now, c);

    public static string ChannelDialplan(DateTimeOffset now, SimChannel c) =>
        AriJson.Event("ChannelDialplan", now, null, w =>
        {
            w.WriteString("dialplan_app", c.AppName);
            w.WriteString("dialplan_app_data", c.AppData);
            w.WritePropertyName("channel"); AriJson.Channel(w, c);
        });

    public static string ChannelConnectedLine(DateTimeOffset now, SimChannel c) => WithChannel("ChannelConnectedLine", now, c);

    /// <summary>Caller BYE: no cause at all (chan_pjsip queues a plain hangup; every turn2 trace); app DELETE:
    /// {"cause":32,"soft":true,...}; SIP failure: {"cause":17,"tech_cause":486,...}.</summary>
    public static string ChannelHangupRequest(DateTimeOffset now, SimChannel c, int? cause, bool soft, int? techCause = null) =>
        AriJson.Event("ChannelHangupRequest", now, w =>
        {
            if (cause is int k) w.WriteNumber("cause", k);
            if (soft) w.WriteBoolean("soft", true);
            if (techCause is int t) w.WriteNumber("tech_cause", t);
        }, w => { w.WritePropertyName("channel"); AriJson.Channel(w, c); });

    public static string ChannelDestroyed(DateTimeOffset now, SimChannel c, int cause, int? techCause = null) =>
        AriJson.Event("ChannelDestroyed", now, null, w =>
        {
            w.WriteNumber("cause", cause);
            w.WriteString("cause_txt", HangupCauses.Text(cause));
            if (techCause is int t) w.WriteNumber("tech_cause", t);
            w.WritePropertyName("channel"); AriJson.Channel(w, c);
        });

    public static string ChannelDtmfReceived(DateTimeOffset now, SimChannel c, char digit, int durationMs) =>
        AriJson.Event("ChannelDtmfReceived", now, null, w =>
        {
            w.WriteString("digit", digit.ToString());
            w.WriteNumber("duration_ms", durationMs);
            w.WritePropertyName("channel"); AriJson.Channel(w, c);
        });

    public static string ChannelVarset(DateTimeOffset now, SimChannel c, string variable, string value) =>
        AriJson.Event("ChannelVarset", now, w =>
        {
            w.WriteString("variable", variable);
            w.WriteString("value", value);
        }, w => { w.WritePropertyName("channel"); AriJson.Channel(w, c); });

    /// <summary>Dial: "caller" only for a dialplan Dial(); an ARI originate has no calling channel.</summary>
    public static string Dial(DateTimeOffset now, SimChannel? caller, SimChannel peer, string dialStatus, string dialString) =>
        AriJson.Event("Dial", now, null, w =>
        {
            w.WriteString("dialstatus", dialStatus);
            w.WriteString("forward", "");
            w.WriteString("dialstring", dialString);
            if (caller is not null) { w.WritePropertyName("caller"); AriJson.Channel(w, caller); }
            w.WritePropertyName("peer"); AriJson.Channel(w, peer);
        });

    public static string ChannelEnteredBridge(DateTimeOffset now, SimBridge b, SimChannel c) => BridgeAndChannel("ChannelEnteredBridge", now, b, c);

    public static string ChannelLeftBridge(DateTimeOffset now, SimBridge b, SimChannel c) => BridgeAndChannel("ChannelLeftBridge", now, b, c);

    public static string BridgeDestroyed(DateTimeOffset now, SimBridge b) =>
        AriJson.Event("BridgeDestroyed", now, null, w => { w.WritePropertyName("bridge"); AriJson.Bridge(w, b); });

    public static string PlaybackStarted(DateTimeOffset now, SimPlayback p) => Playback("PlaybackStarted", now, p, "playing");

    public static string PlaybackFinished(DateTimeOffset now, SimPlayback p, string state) => Playback("PlaybackFinished", now, p, state);

    public static string ChannelCreated(DateTimeOffset now, SimChannel c) => WithChannel("ChannelCreated", now, c);

    public static string ChannelCallerId(DateTimeOffset now, SimChannel c) =>
        AriJson.Event("ChannelCallerId", now, null, w =>
        {
            w.WriteNumber("caller_presentation", 0);
            w.WriteString("caller_presentation_txt", "Presentation Allowed, Not Screened");
            w.WritePropertyName("channel"); AriJson.Channel(w, c);
        });

    /// <summary>stasis_channels.c hold_to_json: musicclass is always there ("N/A" when none was asked for).</summary>
    public static string ChannelHold(DateTimeOffset now, SimChannel c, string? musicClass) =>
        AriJson.Event("ChannelHold", now, null, w =>
        {
            w.WriteString("musicclass", string.IsNullOrEmpty(musicClass) ? "N/A" : musicClass);
            w.WritePropertyName("channel"); AriJson.Channel(w, c);
        });

    public static string ChannelUnhold(DateTimeOffset now, SimChannel c) => WithChannel("ChannelUnhold", now, c);

    public static string EndpointStateChange(DateTimeOffset now, EndpointView e) =>
        AriJson.Event("EndpointStateChange", now, null, w => { w.WritePropertyName("endpoint"); AriJson.Endpoint(w, e); });

    public static string PeerStatusChange(DateTimeOffset now, EndpointView e, string peerStatus) =>
        AriJson.Event("PeerStatusChange", now, null, w =>
        {
            w.WritePropertyName("endpoint"); AriJson.Endpoint(w, e);
            w.WriteStartObject("peer");
            w.WriteString("peer_status", peerStatus);
            w.WriteEndObject();
        });

    public static string ContactStatusChange(DateTimeOffset now, EndpointView e, string uri, string contactStatus) =>
        AriJson.Event("ContactStatusChange", now, null, w =>
        {
            w.WritePropertyName("endpoint"); AriJson.Endpoint(w, e);
            w.WriteStartObject("contact_info");
            w.WriteString("uri", uri);
            w.WriteString("contact_status", contactStatus);
            w.WriteString("aor", e.Resource);
            w.WriteString("roundtrip_usec", "0");
            w.WriteEndObject();
        });

    /// <summary>The one event whose "application" comes second (res_stasis_device_state.c packs it so), written per app.</summary>
    public static string DeviceStateChanged(DateTimeOffset now, string app, string device, string state) => AriJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "DeviceStateChanged");
        w.WriteString("application", app);
        w.WriteString("timestamp", AriJson.Timestamp(now));
        w.WriteStartObject("device_state");
        w.WriteString("name", device);
        w.WriteString("state", state);
        w.WriteEndObject();
        w.WriteString("asterisk_id", AriJson.AsteriskId);
        w.WriteEndObject();
    });

    private static readonly HashSet<string> ChannelTopicTypes = new(StringComparer.Ordinal)
    {
        "ChannelCreated", "ChannelDestroyed", "ChannelStateChange", "ChannelDialplan", "ChannelCallerId", "ChannelConnectedLine",
        "ChannelHangupRequest", "ChannelVarset", "ChannelDtmfReceived", "ChannelHold", "ChannelUnhold", "Dial",
    };

    /// <summary>
    /// Messages published on a channel's own topic, which an endpoint subscription forwards too. StasisStart/End
    /// (sent to the app directly), bridge and playback events are not (the stale-subscription trace has them once).
    /// </summary>
    public static bool IsChannelTopic(string eventJson)
    {
        const string key = "\"type\":\"";
        int at = eventJson.IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return false;
        int start = at + key.Length;
        int end = eventJson.IndexOf('"', start);
        return end > start && ChannelTopicTypes.Contains(eventJson[start..end]);
    }

    private static string Playback(string type, DateTimeOffset now, SimPlayback p, string state) =>
        AriJson.Event(type, now, null, w => { w.WritePropertyName("playback"); AriJson.Playback(w, p, state); });

    private static string WithChannel(string type, DateTimeOffset now, SimChannel c) =>
        AriJson.Event(type, now, null, w => { w.WritePropertyName("channel"); AriJson.Channel(w, c); });

    private static string BridgeAndChannel(string type, DateTimeOffset now, SimBridge b, SimChannel c) =>
        AriJson.Event(type, now, null, w =>
        {
            w.WritePropertyName("bridge"); AriJson.Bridge(w, b);
            w.WritePropertyName("channel"); AriJson.Channel(w, c);
        });

    public static string TextMessageReceived(DateTimeOffset now, EndpointView e, string from, string to, string body, IReadOnlyDictionary<string, string> variables) =>
        AriJson.Event("TextMessageReceived", now, null, w =>
        {
            w.WritePropertyName("endpoint"); AriJson.Endpoint(w, e);
            w.WriteStartObject("message");
            w.WriteString("from", from);
            w.WriteString("to", to);
            w.WriteString("body", body);
            w.WriteStartObject("variables");
            foreach (var (key, value) in variables) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteEndObject();
        });
}
