using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Routing.Simulator.Model;

namespace Routing.Simulator.Ari;

/// <summary>ARI's JSON shapes, field for field in the order Asterisk 23 writes them (see the traces).</summary>
internal static class AriJson
{
    public const string AsteriskId = "02:fc:00:00:00:01";

    // Asterisk (jansson) writes '+' and non-ASCII as they are; the default encoder would write \u002B.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>"2026-11-24T02:13:02.214+0000".</summary>
    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000";

    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
            write(w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Message(string message) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteEndObject();
    });

    /// <summary>An event with asterisk_id but without "application"; <see cref="ForApplication"/> closes it per app.</summary>
    public static string Event(string type, DateTimeOffset now, Action<Utf8JsonWriter>? before, Action<Utf8JsonWriter>? after) => Write(w =>
    {
        w.WriteStartObject();
        before?.Invoke(w);
        w.WriteString("type", type);
        w.WriteString("timestamp", Timestamp(now));
        after?.Invoke(w);
        w.WriteString("asterisk_id", AsteriskId);
        w.WriteEndObject();
    });

    public static string ForApplication(string eventJson, string app) =>
        string.Concat(eventJson.AsSpan(0, eventJson.Length - 1), ",\"application\":", JsonSerializer.Serialize(app, SerializerOptions), "}");

    private static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Channel(Utf8JsonWriter w, SimChannel c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteString("name", c.Name);
        w.WriteString("state", c.State.ToString());
        w.WriteString("protocol_id", c.ProtocolId);
        Party(w, "caller", c.Caller);
        Party(w, "connected", c.Connected);
        w.WriteString("accountcode", "");
        w.WriteStartObject("dialplan");
        w.WriteString("context", c.Context);
        w.WriteString("exten", c.Exten);
        w.WriteNumber("priority", c.Priority);
        w.WriteString("app_name", c.AppName);
        w.WriteString("app_data", c.AppData);
        w.WriteEndObject();
        w.WriteString("creationtime", Timestamp(c.Created));
        w.WriteString("language", c.Language);
        w.WriteEndObject();
    }

    private static void Party(Utf8JsonWriter w, string name, PartyId party)
    {
        w.WriteStartObject(name);
        w.WriteString("name", party.Name);
        w.WriteString("number", party.Number);
        w.WriteEndObject();
    }

    public static void Bridge(Utf8JsonWriter w, SimBridge b)
    {
        w.WriteStartObject();
        w.WriteString("id", b.Id);
        w.WriteString("technology", b.Technology);
        w.WriteString("bridge_type", b.BridgeType);
        w.WriteString("bridge_class", b.BridgeClass);
        w.WriteString("creator", b.Creator);
        w.WriteString("name", b.Name);
        w.WriteStartArray("channels");
        foreach (var c in b.Channels) w.WriteStringValue(c.Id);
        w.WriteEndArray();
        w.WriteString("creationtime", Timestamp(b.Created));
        w.WriteString("video_mode", b.VideoMode);
        // stasis_bridges.c: only with a video mode and a source.
        if (b.VideoMode != "none" && !string.IsNullOrEmpty(b.VideoSourceId)) w.WriteString("video_source_id", b.VideoSourceId);
        w.WriteEndObject();
    }

    public static void Playback(Utf8JsonWriter w, SimPlayback p, string state)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        w.WriteString("media_uri", p.MediaUri);
        w.WriteString("target_uri", p.TargetUri);
        w.WriteString("language", p.Language);
        w.WriteString("state", state);
        w.WriteEndObject();
    }

    public static void Endpoint(Utf8JsonWriter w, EndpointView e)
    {
        w.WriteStartObject();
        w.WriteString("technology", "PJSIP");
        w.WriteString("resource", e.Resource);
        w.WriteString("state", e.State);
        Strings(w, "channel_ids", e.ChannelIds);
        w.WriteEndObject();
    }

    public static void Application(Utf8JsonWriter w, StasisApp app, IReadOnlyList<string> deviceNames)
    {
        w.WriteStartObject();
        w.WriteString("name", app.Name);
        Strings(w, "channel_ids", app.SubscribeAll ? ["__AST_CHANNEL_ALL_TOPIC"] : app.ChannelIds);
        Strings(w, "bridge_ids", app.SubscribeAll ? ["__AST_BRIDGE_ALL_TOPIC"] : app.BridgeIds);
        Strings(w, "endpoint_ids", app.SubscribeAll ? ["__AST_ENDPOINT_ALL_TOPIC"] : app.EndpointInterest.Keys);
        Strings(w, "device_names", app.SubscribeAll ? ["__AST_DEVICE_STATE_ALL_TOPIC"] : deviceNames);
        TypeList(w, "events_allowed", app.EventsAllowed);
        TypeList(w, "events_disallowed", app.EventsDisallowed);
        w.WriteEndObject();
    }

    private static void TypeList(Utf8JsonWriter w, string name, IEnumerable<string> types)
    {
        w.WriteStartArray(name);
        foreach (var t in types)
        {
            w.WriteStartObject();
            w.WriteString("type", t);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>The top-level "type" of an event this simulator wrote.</summary>
    /// <remarks>The fields written before "type" are escaped scalars, so the first "type":" is the event's own.</remarks>
    public static ReadOnlySpan<char> TypeOf(string eventJson)
    {
        const string Key = "\"type\":\"";
        var start = eventJson.IndexOf(Key, StringComparison.Ordinal);
        if (start < 0) return default;
        var rest = eventJson.AsSpan(start + Key.Length);
        var end = rest.IndexOf('"');
        return end < 0 ? default : rest[..end];
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
