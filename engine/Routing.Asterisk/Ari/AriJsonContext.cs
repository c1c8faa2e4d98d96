using System.Text.Json;
using System.Text.Json.Serialization;

namespace Routing.Asterisk.Ari;

/// <summary>
/// Source-generated serialization for every ARI model and event. Required constructor parameters and
/// nullable annotations are enforced, so a frame missing "channel" or with a null id is rejected with
/// the JSON path instead of producing a half-empty record.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(AriTimestampConverter)])]
[JsonSerializable(typeof(AriChannel))]
[JsonSerializable(typeof(List<AriChannel>))]
[JsonSerializable(typeof(AriBridge))]
[JsonSerializable(typeof(List<AriBridge>))]
[JsonSerializable(typeof(AriPlayback))]
[JsonSerializable(typeof(AriLiveRecording))]
[JsonSerializable(typeof(AriApplication))]
[JsonSerializable(typeof(List<AriApplication>))]
[JsonSerializable(typeof(AriVariable))]
[JsonSerializable(typeof(AriAsteriskInfo))]
[JsonSerializable(typeof(AriVariablesBody))]
[JsonSerializable(typeof(AriEventFilterBody))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(UnknownAriEvent))]
[JsonSerializable(typeof(StasisStart))]
[JsonSerializable(typeof(StasisEnd))]
[JsonSerializable(typeof(ChannelCreated))]
[JsonSerializable(typeof(ChannelDestroyed))]
[JsonSerializable(typeof(ChannelStateChange))]
[JsonSerializable(typeof(ChannelDtmfReceived))]
[JsonSerializable(typeof(ChannelHangupRequest))]
[JsonSerializable(typeof(ChannelEnteredBridge))]
[JsonSerializable(typeof(ChannelLeftBridge))]
[JsonSerializable(typeof(ChannelVarset))]
[JsonSerializable(typeof(ChannelConnectedLine))]
[JsonSerializable(typeof(ChannelCallerId))]
[JsonSerializable(typeof(ChannelDialplan))]
[JsonSerializable(typeof(ChannelHold))]
[JsonSerializable(typeof(ChannelUnhold))]
[JsonSerializable(typeof(ChannelTalkingStarted))]
[JsonSerializable(typeof(ChannelTalkingFinished))]
[JsonSerializable(typeof(ChannelToneDetected))]
[JsonSerializable(typeof(ChannelUserevent))]
[JsonSerializable(typeof(Dial))]
[JsonSerializable(typeof(PlaybackStarted))]
[JsonSerializable(typeof(PlaybackContinuing))]
[JsonSerializable(typeof(PlaybackFinished))]
[JsonSerializable(typeof(RecordingStarted))]
[JsonSerializable(typeof(RecordingFinished))]
[JsonSerializable(typeof(RecordingFailed))]
[JsonSerializable(typeof(BridgeCreated))]
[JsonSerializable(typeof(BridgeDestroyed))]
[JsonSerializable(typeof(BridgeMerged))]
[JsonSerializable(typeof(ApplicationReplaced))]
[JsonSerializable(typeof(ApplicationRegistered))]
[JsonSerializable(typeof(ApplicationUnregistered))]
[JsonSerializable(typeof(DeviceStateChanged))]
[JsonSerializable(typeof(EndpointStateChange))]
[JsonSerializable(typeof(PeerStatusChange))]
[JsonSerializable(typeof(ContactStatusChange))]
[JsonSerializable(typeof(TextMessageReceived))]
[JsonSerializable(typeof(AriEndpoint))]
[JsonSerializable(typeof(List<AriEndpoint>))]
[JsonSerializable(typeof(RESTResponse))]
[JsonSerializable(typeof(AriRestRequestMessage))]
public sealed partial class AriJsonContext : JsonSerializerContext;

/// <summary>The JSON body of originate / create: {"variables":{"NAME":"value"}}.</summary>
public sealed record AriVariablesBody(IReadOnlyDictionary<string, string> Variables);

/// <summary>Body of PUT /applications/{app}/eventFilter: lists of {"type": name}; a null list leaves that list as it is on Asterisk.</summary>
public sealed record AriEventFilterBody(IReadOnlyList<AriEventTypeName>? Allowed, IReadOnlyList<AriEventTypeName>? Disallowed);

/// <summary>One entry of an event filter list.</summary>
public sealed record AriEventTypeName(string Type);
