using System.Text;
using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>
/// Out-of-dialog SIP MESSAGE (turn2/ari-sip-message). Incoming: the endpoint's <c>message_context</c> dialplan runs
/// (not simulated beyond counting) and TextMessageReceived goes only to apps subscribed to the sender's endpoint
/// (by name or to all endpoints); a MESSAGE from an address no endpoint matches reaches nobody. Outgoing: ARI
/// sendMessage answers 202 with no body and delivers on its own; what was sent is kept for tests.
/// </summary>
internal sealed partial class Pbx
{
    private readonly List<SentTextMessage> _sentMessages = [];
    private long _messagesToDialplanOnly;
    private readonly List<ForwardedTextMessage> _forwardedTexts = [];

    public IReadOnlyList<ForwardedTextMessage> ForwardedTexts
    {
        get { lock (_gate) return _forwardedTexts.ToArray(); }
    }

    public IReadOnlyList<SentTextMessage> SentMessages
    {
        get { lock (_gate) return _sentMessages.ToArray(); }
    }

    public TextDelivery ReceiveMessage(string resource, string from, string to, string body, IReadOnlyDictionary<string, string>? headers)
    {
        lock (_gate)
        {
            if (!IsEndpoint(resource)) return TextDelivery.NoEndpoint;
            if (_options.Dialplan.TextHeartbeatStaleSeconds > 0)
            {
                // [messages-app]: FILTER(0-9) of the global, empty → 0; $[EPOCH - beat < stale] leaves it to the engine.
                var digits = new string(_globals.GetValueOrDefault(DialplanOptions.TextHeartbeatVariable, "").Where(char.IsAsciiDigit).ToArray());
                var beat = long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var b) ? b : 0;
                if (Now.ToUnixTimeSeconds() - beat >= _options.Dialplan.TextHeartbeatStaleSeconds)
                {
                    _forwardedTexts.Add(new ForwardedTextMessage(resource, from, body, Now, beat));
                    if (_forwardedTexts.Count > _options.MaxRecordedRequests) _forwardedTexts.RemoveAt(0);
                }
            }

            var json = AriEvents.TextMessageReceived(Now, View(resource), from, to, body, MessageVariables(resource, from, to, body, headers));
            var delivered = false;
            foreach (var app in _apps.Values)
            {
                if (!app.EndpointInterest.ContainsKey("PJSIP/" + resource) && !app.EndpointInterest.ContainsKey(AllEndpoints)) continue;
                Send(app.Name, AriJson.ForApplication(json, app.Name));
                delivered = true;
            }
            if (!delivered) _messagesToDialplanOnly++;
            return delivered ? TextDelivery.ToApp : TextDelivery.DialplanOnly;
        }
    }

    /// <summary>PUT /endpoints/sendMessage (any destination) and PUT /endpoints/PJSIP/{x}/sendMessage (404 for an unknown endpoint).</summary>
    public AriResponse SendMessage(AriRequest r, string? resource)
    {
        var to = resource is null ? r.Param("to") : $"pjsip:{resource}";
        var from = r.Param("from");
        if (string.IsNullOrEmpty(to) || string.IsNullOrEmpty(from)) return AriResponse.Error(400, "to and from are required");
        lock (_gate)
        {
            if (resource is not null && !IsEndpoint(resource)) return AriResponse.Error(404, "Endpoint not found");
            _sentMessages.Add(new SentTextMessage(resource, to, from, r.Param("body") ?? "", r.Variables(), Now));
            if (_sentMessages.Count > _options.MaxRecordedRequests) _sentMessages.RemoveAt(0);
        }
        return AriResponse.Accepted;
    }

    /// <summary>Every SIP header of the MESSAGE plus PJSIP_RECVADDR, PJSIP_TRANSPORT and PJSIP_ENDPOINT (the caller-ID name
    /// as recorded, here the From's display name or the endpoint's name).</summary>
    private static Dictionary<string, string> MessageVariables(string resource, string from, string to, string body, IReadOnlyDictionary<string, string>? headers)
    {
        var name = from.StartsWith('"') && from.IndexOf('"', 1) is var end and > 0 ? from[1..end] : resource;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PJSIP_RECVADDR"] = "127.0.0.1:5064",
            ["PJSIP_TRANSPORT"] = "udp",
            ["PJSIP_ENDPOINT"] = name,
            ["Via"] = "SIP/2.0/UDP 127.0.0.1:5064;rport=5064;received=127.0.0.1;branch=z9hG4bK-sim",
            ["From"] = from + ";tag=sim",
            ["To"] = "<" + (to.StartsWith("pjsip:", StringComparison.Ordinal) ? "sip:" + to[6..] : to) + ">",
            ["Call-ID"] = Guid.NewGuid().ToString("N") + "@127.0.0.1",
            ["CSeq"] = "1 MESSAGE",
            ["Max-Forwards"] = "70",
            ["Content-Type"] = "text/plain;charset=UTF-8",
            ["Content-Length"] = Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in headers ?? new Dictionary<string, string>()) variables[key] = value;
        return variables;
    }
}
