using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Engine.Calls.Cel;

/// <summary>
/// A call the dialplan routed on its own (the engine was down, or handed it over), told by Asterisk's CEL
/// rows of one linkedid: the caller's channel, each agency leg, when they answered, were bridged and hung
/// up. Only a linkedid whose caller passed through our <c>sub-fallback</c> (marked there by
/// <c>CELGenUserEvent(routing112-fallback,…)</c>) is a fallback story; CEL itself does not show that
/// Stasis was tried (tests/fixtures/asterisk-traces/README.md, T7).
/// </summary>
internal sealed record CelFallbackStory(CallRecord Call, IReadOnlyList<LegRecord> Legs, IReadOnlyList<CallEventRecord> Events)
{
    /// <summary>The user-defined CEL event our dialplan's fallback raises on the caller's channel.</summary>
    public const string Marker = "routing112-fallback";

    /// <summary>The ledger entry of calls recorded from CEL.</summary>
    public const string Entry = "fallback-cel";

    /// <summary>The story of one completed linkedid, or null when it is not ours to tell.</summary>
    public static CelFallbackStory? From(IReadOnlyList<CelRow> rows)
    {
        // Asterisk 23.4.1 writing "legacy CEL records as advanced" (what cel_custom does on a real box) puts the
        // user event's own name in the eventtype column; the advanced form says USER_DEFINED. Both are ours.
        var marker = rows.FirstOrDefault(r =>
            (r.EventType == "USER_DEFINED" || string.Equals(r.EventType, Marker, StringComparison.OrdinalIgnoreCase))
            && string.Equals(r.UserDefinedType, Marker, StringComparison.OrdinalIgnoreCase));
        if (marker is null) return null;

        var linkedId = marker.LinkedId;
        var callerId = marker.UniqueId;
        var callId = StableId("call", linkedId);
        var caller = rows.Where(r => r.UniqueId == callerId).OrderBy(r => r.EventTime).ToList();
        var start = caller.FirstOrDefault(r => r.EventType == "CHAN_START") ?? caller[0];
        var route = Extra(marker.EventExtra);
        var routeFields = Fields(route);

        var call = new CallRecord(callId, CallerText.CleanText(callerId, 64), CallerText.NormaliseNumber(start.CallerIdNumber),
            CallerText.CleanText(start.Exten, 32), Entry, start.EventTime);

        var events = new List<CallEventRecord>
        {
            new(callId, null, marker.EventTime, "fallback.route", CallerText.CleanText(route, 200)),
        };

        var legs = new List<LegRecord>();
        var legChannels = rows.Where(r => r.UniqueId != callerId && r.EventType == "CHAN_START").OrderBy(r => r.EventTime).ToList();
        foreach (var legStart in legChannels)
        {
            var legId = StableId("leg", legStart.UniqueId);
            var endpoint = EndpointOf(legStart.Channel);
            var resource = endpoint.Contains('/', StringComparison.Ordinal) ? endpoint[(endpoint.IndexOf('/', StringComparison.Ordinal) + 1)..] : endpoint;
            var agency = routeFields.GetValueOrDefault("agency") is { Length: > 0 } a && resource.StartsWith(a, StringComparison.Ordinal) ? a : resource.Split('-')[0];
            var region = routeFields.GetValueOrDefault("region") ?? (resource.Split('-') is { Length: > 1 } parts ? parts[1] : "");
            legs.Add(new LegRecord(legId, callId, CallerText.CleanText(legStart.UniqueId, 64), CallerText.CleanText(agency, 32),
                CallerText.CleanText(region, 32), CallerText.CleanText(resource, 64), CallerText.CleanText(endpoint, 64), legs.Count + 1, legStart.EventTime));
            foreach (var row in rows.Where(r => r.UniqueId == legStart.UniqueId).OrderBy(r => r.EventTime))
            {
                switch (row.EventType)
                {
                    case "ANSWER":
                        events.Add(new(callId, legId, row.EventTime, "leg.answered", CallerText.CleanText(resource, 64)));
                        break;
                    case "HANGUP":
                        events.Add(new(callId, legId, row.EventTime, "leg.ended", "cause " + HangupSummary(row.EventExtra)));
                        break;
                }
            }
        }

        foreach (var row in caller)
        {
            switch (row.EventType)
            {
                case "BRIDGE_ENTER" when row.BridgePeer.Length > 0:
                    var leg = legs.FirstOrDefault(l => row.BridgePeer.StartsWith(l.Endpoint + "-", StringComparison.Ordinal) || row.BridgePeer == l.Endpoint);
                    events.Add(new(callId, leg?.LegId, row.EventTime, "connected",
                        $"{CallerText.CleanText(EndpointOf(row.BridgePeer), 64)} (dialplan fallback) after {row.EventTime - start.EventTime}"));
                    break;
                case "HANGUP":
                    events.Add(new(callId, null, row.EventTime, "hangup", "cause " + HangupSummary(row.EventExtra)));
                    break;
            }
        }

        var end = rows.Max(r => r.EventTime);
        events.Add(new(callId, null, end, "fallback.recorded",
            $"routed by the dialplan without the engine; recorded from Asterisk's CEL (linkedid {CallerText.CleanText(linkedId, 64)}), {end - start.EventTime} from arrival to the last hang-up"));
        events.Add(new(callId, null, end, "outcome", nameof(CallOutcome.FailedOver)));
        return new CelFallbackStory(call, legs, events.OrderBy(e => e.At).ToList());
    }

    /// <summary>The same linkedid always gives the same ids, so a second import of a row writes nothing new.</summary>
    internal static string StableId(string kind, string asteriskId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("routing112-cel:" + kind + ":" + asteriskId));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // RFC 9562 version 8: custom, name-based
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    /// <summary>PJSIP/police-almaty-1-00000007 → PJSIP/police-almaty-1 (Asterisk's channel name adds -%08x).</summary>
    internal static string EndpointOf(string channel)
    {
        var dash = channel.LastIndexOf('-');
        return dash > 0 && channel.Length - dash - 1 == 8 && channel[(dash + 1)..].All(char.IsAsciiHexDigit) ? channel[..dash] : channel;
    }

    internal static string ExtraOf(string eventExtra) => Extra(eventExtra);

    private static string Extra(string eventExtra)
    {
        if (eventExtra.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(eventExtra);
                if (doc.RootElement.TryGetProperty("extra", out var extra) && extra.ValueKind == JsonValueKind.String) return extra.GetString() ?? "";
            }
            catch (JsonException)
            {
                // Not JSON after all: keep it as text.
            }
        }

        return eventExtra;
    }

    private static Dictionary<string, string> Fields(string route) =>
        route.Split([' ', ';', '&'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim().ToLowerInvariant())
            .ToDictionary(g => g.Key, g => CallerText.CleanText(g.First()[1], 32));

    private static string HangupSummary(string eventExtra)
    {
        try
        {
            using var doc = JsonDocument.Parse(eventExtra);
            var root = doc.RootElement;
            var cause = root.TryGetProperty("hangupcause", out var c) ? c.ToString() : "?";
            var source = root.TryGetProperty("hangupsource", out var s) ? s.GetString() : null;
            var status = root.TryGetProperty("dialstatus", out var d) ? d.GetString() : null;
            var text = cause;
            if (!string.IsNullOrEmpty(source)) text += $", hung up by {CallerText.CleanText(EndpointOf(source), 64)}";
            if (!string.IsNullOrEmpty(status)) text += $", dialstatus {CallerText.CleanText(status, 20)}";
            return text;
        }
        catch (JsonException)
        {
            return "? (" + CallerText.CleanText(eventExtra, 60) + ")";
        }
    }
}
