using Routing.Simulator.Core;

namespace Routing.Simulator.Ari;

/// <summary>
/// Maps an ARI path and method to the PBX. Paths ARI has but the simulator does not model answer 501;
/// unknown paths 404 "Resource not found"; a known path with the wrong method 405 "Invalid method".
/// </summary>
internal sealed class AriRoutes(Pbx pbx)
{
    private static AriResponse NotSimulated(string what) => AriResponse.Error(501, $"{what} is not simulated");

    public AriResponse Dispatch(AriRequest r)
    {
        var s = r.Segments;
        return s switch
        {
            ["asterisk", "info"] => r.Method == "GET" ? AsteriskInfo() : AriResponse.InvalidMethod,
            ["asterisk", "ping"] => r.Method == "GET" ? AsteriskPing() : AriResponse.InvalidMethod,
            ["asterisk", "variable"] => r.Method switch
            {
                "GET" => pbx.GetGlobal(r.Param("variable")),
                // setGlobalVar is POST (asterisk.json); a PUT is 405 Invalid method, as Asterisk 23.4.1 answers it.
                "POST" => pbx.SetGlobal(r.Param("variable"), r.Param("value")),
                _ => AriResponse.InvalidMethod,
            },
            ["channels", ..] => Channels(r, s[1..]),
            ["bridges", ..] => Bridges(r, s[1..]),
            ["playbacks", var id] => r.Method switch
            {
                "GET" => pbx.GetPlayback(id),
                "DELETE" => pbx.StopPlayback(id),
                _ => AriResponse.InvalidMethod,
            },
            ["playbacks", _, "control"] => r.Method == "POST" ? NotSimulated("Playback control") : AriResponse.InvalidMethod,
            ["applications"] => r.Method == "GET" ? pbx.GetApplications() : AriResponse.InvalidMethod,
            ["applications", var name] => r.Method == "GET" ? pbx.GetApplication(name) : AriResponse.InvalidMethod,
            ["applications", var name, "subscription"] => r.Method switch
            {
                "POST" => pbx.Subscribe(name, r.Param("eventSource")),
                "DELETE" => pbx.Unsubscribe(name, r.Param("eventSource")),
                _ => AriResponse.InvalidMethod,
            },
            ["applications", var name, "eventFilter"] => r.Method == "PUT" ? SetEventFilter(r, name) : AriResponse.InvalidMethod,

            ["events", "user", var eventName] => r.Method == "POST" ? pbx.UserEvent(eventName, r.Param("application")) : AriResponse.InvalidMethod,
            // Out-of-dialog SIP MESSAGE (turn2 sip-message trace: 202 with no body; Asterisk sends it on its own
            // thread, so nothing about its delivery comes back). The request log is what tests read.
            ["endpoints", "sendMessage"] => r.Method != "PUT" ? AriResponse.InvalidMethod : pbx.SendMessage(r, null),
            ["endpoints", "PJSIP", var resource, "sendMessage"] => r.Method != "PUT" ? AriResponse.InvalidMethod : pbx.SendMessage(r, resource),
            ["endpoints", ..] => r.Method == "GET" ? pbx.Endpoints(s[1..]) : AriResponse.InvalidMethod,
            // Lists only ARI-owned "Stasis:" devices, of which the simulator has none (turn2: [] throughout); a PJSIP device
            // name has a slash, which the router does not match: 404 "Resource not found" (trace).
            ["deviceStates"] => r.Method == "GET" ? AriResponse.Ok("[]") : AriResponse.InvalidMethod,
            ["deviceStates", _, _, ..] => AriResponse.ResourceNotFound,
            ["recordings", ..] or ["sounds", ..] or ["deviceStates", ..] or ["mailboxes", ..] => NotSimulated("/" + s[0]),
            _ => AriResponse.ResourceNotFound,
        };
    }

    /// <summary>resource_applications.c: an empty body clears both lists; a list that is given replaces that list.</summary>
    private AriResponse SetEventFilter(AriRequest r, string app)
    {
        if (!r.TryEventTypes("allowed", out var allowed) || !r.TryEventTypes("disallowed", out var disallowed))
            return AriResponse.Error(400, "Invalid format definition");
        if (!r.HasBody) (allowed, disallowed) = ([], []);
        return pbx.SetEventFilter(app, allowed, disallowed);
    }

    private AriResponse Channels(AriRequest r, string[] s) => s switch
    {
        [] => r.Method switch
        {
            "GET" => pbx.ListChannels(),
            "POST" => pbx.Originate(Originate(r, r.Param("channelId"))),
            _ => AriResponse.InvalidMethod,
        },
        ["create"] => r.Method == "POST" ? pbx.Create(Originate(r, r.Param("channelId"))) : AriResponse.InvalidMethod,
        ["externalMedia"] => r.Method == "POST" ? NotSimulated("/channels/externalMedia") : AriResponse.InvalidMethod,
        [var id] => r.Method switch
        {
            "GET" => pbx.GetChannel(id),
            "DELETE" => pbx.HangupChannel(id, r.Param("reason")),
            "POST" => pbx.Originate(Originate(r, id)),
            _ => AriResponse.InvalidMethod,
        },
        [var id, "answer"] => Post(r, () => pbx.Answer(id)),
        [var id, "continue"] => Post(r, () => pbx.Continue(id, r.Param("context"), r.Param("extension"), r.Param("priority"), r.Param("label"))),
        [var id, "ring"] => r.Method switch
        {
            "POST" => pbx.Ring(id, start: true),
            "DELETE" => pbx.Ring(id, start: false),
            _ => AriResponse.InvalidMethod,
        },
        [var id, "moh"] => r.Method switch
        {
            "POST" => pbx.MusicOnHold(id, start: true),
            "DELETE" => pbx.MusicOnHold(id, start: false),
            _ => AriResponse.InvalidMethod,
        },
        [var id, "play"] => Post(r, () => pbx.Play(id, r.Param("media"), r.Param("lang"), r.Param("playbackId"))),
        [var id, "play", var playbackId] => Post(r, () => pbx.Play(id, r.Param("media"), r.Param("lang"), playbackId)),
        [var id, "variable"] => r.Method switch
        {
            "GET" => pbx.GetVariable(id, r.Param("variable")),
            "POST" => pbx.SetVariable(id, r.Param("variable"), r.Param("value")),
            _ => AriResponse.InvalidMethod,
        },
        [var id, "dtmf"] => Post(r, () => pbx.SendDtmfToChannel(id, r.Param("dtmf"))),
        [var id, "dial"] => Post(r, () => pbx.DialCreated(id, r.Param("caller"), r.Param("timeout"))),
        [var id, "hold"] => r.Method switch
        {
            "POST" => pbx.Hold(id, hold: true),
            "DELETE" => pbx.Hold(id, hold: false),
            _ => AriResponse.InvalidMethod,
        },
        [_, "mute" or "silence" or "redirect" or "snoop" or "record" or "move" or "rtp_statistics" or "transfer_progress"] =>
            NotSimulated("/channels/{id}/" + s[1]),
        _ => AriResponse.ResourceNotFound,
    };

    private AriResponse Bridges(AriRequest r, string[] s) => s switch
    {
        [] => r.Method switch
        {
            "GET" => pbx.ListBridges(),
            "POST" => pbx.CreateBridge(r.Param("type"), r.Param("bridgeId"), r.Param("name")),
            _ => AriResponse.InvalidMethod,
        },
        [var id] => r.Method switch
        {
            "GET" => pbx.GetBridge(id),
            "DELETE" => pbx.DestroyBridge(id),
            "POST" => pbx.CreateBridge(r.Param("type"), id, r.Param("name")),
            _ => AriResponse.InvalidMethod,
        },
        [var id, "addChannel"] => Post(r, () => pbx.AddChannels(id, r.Param("channel"), r.Param("role"))),
        [var id, "removeChannel"] => Post(r, () => pbx.RemoveChannels(id, r.Param("channel"))),
        [var id, "moh"] => r.Method switch
        {
            "POST" => pbx.BridgeMusicOnHold(id, start: true),
            "DELETE" => pbx.BridgeMusicOnHold(id, start: false),
            _ => AriResponse.InvalidMethod,
        },
        [var id, "videoSource", var channelId] => Post(r, () => pbx.SetVideoSource(id, channelId)),
        [var id, "videoSource"] => r.Method == "DELETE" ? pbx.ClearVideoSource(id) : AriResponse.InvalidMethod,
        [_, "play" or "record"] or [_, "play", _] => NotSimulated("/bridges/{id}/" + s[1]),
        _ => AriResponse.ResourceNotFound,
    };

    private static AriResponse Post(AriRequest r, Func<AriResponse> action) => r.Method == "POST" ? action() : AriResponse.InvalidMethod;

    private static OriginateRequest Originate(AriRequest r, string? channelId) => new(
        r.Param("endpoint"), r.Param("app"), r.Param("appArgs"), r.Param("callerId"), r.Param("timeout"),
        channelId, r.Param("extension"), r.Variables(), r.Param("originator"));

    private AriResponse AsteriskInfo() => AriResponse.Ok(AriJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("build");
        w.WriteString("os", "Linux");
        w.WriteString("kernel", "6.1.0");
        w.WriteString("machine", "x86_64");
        w.WriteString("options", "BUILD_NATIVE, OPTIONAL_API");
        w.WriteString("date", "2026-11-24 02:01:23 UTC");
        w.WriteString("user", "root");
        w.WriteEndObject();
        w.WriteStartObject("system");
        w.WriteString("version", "23.4.1");
        w.WriteString("entity_id", AriJson.AsteriskId);
        w.WriteEndObject();
        w.WriteStartObject("config");
        w.WriteString("name", "");
        w.WriteString("default_language", "en");
        w.WriteStartObject("setid");
        w.WriteString("user", "root");
        w.WriteString("group", "root");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("status");
        w.WriteString("startup_time", AriJson.Timestamp(pbx.StartedAt));
        w.WriteString("last_reload_time", AriJson.Timestamp(pbx.StartedAt));
        w.WriteEndObject();
        w.WriteEndObject();
    }));

    private AriResponse AsteriskPing() => AriResponse.Ok(AriJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("ping", "pong");
        w.WriteString("timestamp", AriJson.Timestamp(pbx.Now));
        w.WriteString("asterisk_id", AriJson.AsteriskId);
        w.WriteEndObject();
    }));
}
