using System.Buffers;
using System.Collections.Frozen;
using System.Text.Encodings.Web;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Routing.Asterisk.Ari;

/// <summary>
/// Turns one websocket message (UTF-8 JSON) into its event record. Pure: no I/O, no state.
/// Unknown event types become <see cref="UnknownAriEvent"/> with the raw JSON; anything that is not a JSON
/// object with a string "type", or whose known fields do not fit, throws <see cref="AriFrameException"/>.
/// </summary>
public static class AriEventParser
{
    private const int ExcerptBytes = 160;

    private static readonly FrozenDictionary<string, JsonTypeInfo> KnownTypes = BuildRegistry();

    /// <summary>Names of the event types that parse to their own record.</summary>
    public static IReadOnlyCollection<string> KnownTypeNames => KnownTypes.Keys;

    public static AriEvent Parse(ReadOnlySpan<byte> utf8)
    {
        var type = ReadType(utf8);
        if (!KnownTypes.TryGetValue(type, out var typeInfo)) return ParseUnknown(utf8);
        try
        {
            var parsed = JsonSerializer.Deserialize(utf8, typeInfo) as AriEvent;
            return parsed ?? throw new AriFrameException($"ARI event '{type}' deserialized to nothing", Excerpt(utf8));
        }
        catch (JsonException ex)
        {
            throw new AriFrameException($"ARI event '{type}' has a bad or missing field at {ex.Path ?? "$"}: {FirstSentence(ex.Message)}", Excerpt(utf8), ex);
        }
    }

    /// <summary>Serializes an event the way Asterisk sends it (for simulators and tests).</summary>
    public static string Serialize(AriEvent evt)
    {
        if (evt is UnknownAriEvent unknown) return unknown.Raw.GetRawText();
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping writes '+' and '<' as Asterisk does, not as \u002B.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            JsonSerializer.Serialize(writer, evt, evt.GetType(), AriJsonContext.Default);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A short, printable start of a frame for logs and errors.</summary>
    public static string Excerpt(ReadOnlySpan<byte> utf8)
    {
        var slice = utf8.Length > ExcerptBytes ? utf8[..ExcerptBytes] : utf8;
        var text = Encoding.UTF8.GetString(slice);
        var builder = new StringBuilder(text.Length + 1);
        foreach (var c in text) builder.Append(char.IsControl(c) ? '·' : c);
        if (utf8.Length > ExcerptBytes) builder.Append('…');
        return builder.ToString();
    }

    /// <summary>Walks the whole frame once, so a syntax error is reported as such even after a valid "type".</summary>
    private static string ReadType(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) throw new AriFrameException("empty ARI frame", "");
        string? type = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new AriFrameException($"ARI frame is not a JSON object (starts with {reader.TokenType})", Excerpt(utf8));
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType && type is null)
                {
                    if (reader.TokenType != JsonTokenType.String)
                        throw new AriFrameException($"ARI frame has a \"type\" that is a {reader.TokenType}, not a string", Excerpt(utf8));
                    type = reader.GetString();
                }
                reader.Skip();
            }
            while (reader.Read())
            {
                // Reading past the closing brace throws on trailing garbage.
            }
        }
        catch (JsonException ex)
        {
            throw new AriFrameException($"ARI frame is not valid JSON: {FirstSentence(ex.Message)}", Excerpt(utf8), ex);
        }
        if (type is null) throw new AriFrameException("ARI frame has no \"type\" property", Excerpt(utf8));
        if (type.Length == 0) throw new AriFrameException("ARI frame has an empty \"type\"", Excerpt(utf8));
        return type;
    }

    private static UnknownAriEvent ParseUnknown(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var raw = JsonSerializer.Deserialize(utf8, AriJsonContext.Default.JsonElement);
            return new UnknownAriEvent(raw)
            {
                Type = raw.GetProperty("type").GetString()!,
                Application = OptionalString(raw, "application"),
                AsteriskId = OptionalString(raw, "asterisk_id"),
                Timestamp = raw.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.String
                            && AriTimestampConverter.TryParse(ts.GetString()!, out var parsed) ? parsed : default,
            };
        }
        catch (JsonException ex)
        {
            throw new AriFrameException($"ARI frame is not valid JSON: {FirstSentence(ex.Message)}", Excerpt(utf8), ex);
        }
    }

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // System.Text.Json appends "Path: ... | LineNumber ..." which we report separately.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static FrozenDictionary<string, JsonTypeInfo> BuildRegistry()
    {
        var context = AriJsonContext.Default;
        Type[] events =
        [
            typeof(StasisStart), typeof(StasisEnd), typeof(ChannelCreated), typeof(ChannelDestroyed),
            typeof(ChannelStateChange), typeof(ChannelDtmfReceived), typeof(ChannelHangupRequest),
            typeof(ChannelEnteredBridge), typeof(ChannelLeftBridge), typeof(ChannelVarset), typeof(ChannelConnectedLine),
            typeof(ChannelCallerId), typeof(ChannelDialplan), typeof(ChannelHold), typeof(ChannelUnhold),
            typeof(ChannelTalkingStarted), typeof(ChannelTalkingFinished), typeof(ChannelToneDetected),
            typeof(ChannelUserevent), typeof(Dial), typeof(PlaybackStarted), typeof(PlaybackContinuing),
            typeof(PlaybackFinished), typeof(RecordingStarted), typeof(RecordingFinished), typeof(RecordingFailed),
            typeof(BridgeCreated), typeof(BridgeDestroyed), typeof(BridgeMerged), typeof(ApplicationReplaced),
            typeof(ApplicationRegistered), typeof(ApplicationUnregistered), typeof(DeviceStateChanged), typeof(RESTResponse),
            typeof(EndpointStateChange), typeof(PeerStatusChange), typeof(ContactStatusChange), typeof(TextMessageReceived),
        ];
        return events.ToFrozenDictionary(t => t.Name, t => context.GetTypeInfo(t)!, StringComparer.Ordinal);
    }
}
