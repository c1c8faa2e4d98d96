using Routing.Simulator.Ami;
using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>ARI /channels actions other than originate and hangup.</summary>
internal sealed partial class Pbx
{
    public AriResponse ListChannels()
    {
        lock (_gate)
            return AriResponse.Ok(AriJson.Write(w =>
            {
                w.WriteStartArray();
                foreach (var c in _channels.Values.OrderByDescending(c => c.Sequence)) AriJson.Channel(w, c); // newest first, as GET /channels in the trace
                w.WriteEndArray();
            }));
    }

    public AriResponse GetChannel(string id)
    {
        lock (_gate)
            return _channels.TryGetValue(id, out var c) ? AriResponse.Ok(AriJson.Write(w => AriJson.Channel(w, c))) : AriResponse.ChannelNotFound;
    }

    /// <summary>Runs <paramref name="action"/> on a channel that exists and is in Stasis (404 / 409 otherwise).</summary>
    private AriResponse InStasis(string id, Func<SimChannel, AriResponse> action)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(id, out var c)) return AriResponse.ChannelNotFound;
            if (!c.InStasis) return AriResponse.NotInStasis;
            return action(c);
        }
    }

    public AriResponse Answer(string id) => InStasis(id, c =>
    {
        if (c.State == ChannelState.Up) return AriResponse.NoContent; // answering an Up channel: 204, no event (trace)
        c.State = ChannelState.Up;
        c.Call?.Note(Now, "answered");
        Ari(AriEvents.ChannelStateChange(Now, c), c);
        Ami(AmiFrames.Newstate(c));
        DeviceStateMayHaveChanged(c.Resource);
        ScheduleScriptedDtmf(c);
        return AriResponse.NoContent;
    });

    public AriResponse Ring(string id, bool start) => InStasis(id, c =>
    {
        c.Call?.Note(Now, start ? "hears ringing" : "ringing stopped");
        return AriResponse.NoContent;
    });

    public AriResponse MusicOnHold(string id, bool start) => InStasis(id, c =>
    {
        if (c.Call is { } call)
        {
            if (start) call.HeardMusicOnHold = true;
            call.Note(Now, start ? "music on hold started" : "music on hold stopped");
        }
        return AriResponse.NoContent;
    });

    /// <summary>
    /// POST/DELETE /channels/{id}/hold: ast_indicate(HOLD) towards the phone. chan_pjsip (moh_passthrough off) plays music on
    /// hold to it and its device reports ONHOLD; there is NO ChannelHold/ChannelUnhold event — those come only when the
    /// far end holds (ast_queue_hold, e.g. <see cref="SimulatedCallTaker.Hold"/>) — see stasis/control.c and chan_pjsip.c.
    /// </summary>
    public AriResponse Hold(string id, bool hold) => InStasis(id, c =>
    {
        if (c.OnHold == hold) return AriResponse.NoContent;
        c.OnHold = hold;
        if (c.Call is { } call)
        {
            if (hold) call.HeardMusicOnHold = true;
            call.Note(Now, hold ? "put on hold (music on hold)" : "taken off hold");
        }
        DeviceStateMayHaveChanged(c.Resource);
        return AriResponse.NoContent;
    });

    /// <summary>POST /channels/{id}/dtmf: the app sends digits to the channel (AMI DTMF Direction: Sent).</summary>
    public AriResponse SendDtmfToChannel(string id, string? dtmf) => InStasis(id, c =>
    {
        if (string.IsNullOrEmpty(dtmf)) return AriResponse.Error(400, "DTMF is required");
        foreach (char d in dtmf.Where(IsDtmfDigit))
        {
            Ami(AmiFrames.Dtmf(c, begin: true, d, 0, received: false));
            Ami(AmiFrames.Dtmf(c, begin: false, d, 100, received: false));
        }
        c.Call?.Note(Now, $"app sent DTMF {dtmf}");
        return AriResponse.NoContent;
    });

    /// <summary>GET variable works on any channel (the trace reads STASISSTATUS of a non-Stasis channel).</summary>
    public AriResponse GetVariable(string id, string? name)
    {
        if (string.IsNullOrEmpty(name)) return AriResponse.Error(400, "Variable name is required");
        lock (_gate)
        {
            if (!_channels.TryGetValue(id, out var c)) return AriResponse.ChannelNotFound;
            // A dialplan function that fails (PJSIP_HEADER of a header the INVITE lacks; GEOLOC_PROFILE with
            // res_geolocation noloaded, as dialplans/modules.conf has it) is a 500 (res/ari/resource_channels.c).
            if (name.StartsWith("PJSIP_HEADER(read,", StringComparison.OrdinalIgnoreCase) && name.EndsWith(')'))
            {
                var header = name["PJSIP_HEADER(read,".Length..^1];
                return c.SipHeaders.TryGetValue(header, out var sent)
                    ? AriResponse.Ok(AriJson.Write(w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("value", sent);
                        w.WriteEndObject();
                    }))
                    : AriResponse.Error(500, "Unable to read provided function");
            }

            if (name.StartsWith("GEOLOC_PROFILE(", StringComparison.OrdinalIgnoreCase)) return AriResponse.Error(500, "Unable to read provided function");
            string? value = name switch
            {
                "CALLERID(num)" => c.Caller.Number,
                "CALLERID(name)" => c.Caller.Name,
                "CALLERID(all)" => $"\"{c.Caller.Name}\" <{c.Caller.Number}>",
                "CHANNEL(name)" or "CHANNEL" => c.Name,
                "CHANNEL(language)" => c.Language,
                "CHANNEL(videonativeformat)" => FormatNames(c.VideoFormats),
                "UNIQUEID" => c.Id,
                "EXTEN" => c.Exten,
                "CONTEXT" => c.Context,
                _ when IsAbsoluteTimeout(name) => ReadAbsoluteTimeout(c),
                _ => c.Variables.GetValueOrDefault(name),
            };
            if (value is null) return AriResponse.Error(404, "Provided variable was not found");
            return AriResponse.Ok(AriJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("value", value);
                w.WriteEndObject();
            }));
        }
    }

    public AriResponse SetVariable(string id, string? name, string? value)
    {
        if (string.IsNullOrEmpty(name)) return AriResponse.Error(400, "Variable name is required");
        return InStasis(id, c =>
        {
            if (IsAbsoluteTimeout(name)) SetAbsoluteTimeout(c, value ?? "");
            else SetVariable(c, name, value ?? "", ari: true);
            return AriResponse.NoContent;
        });
    }
}
