using Routing.Simulator.Ami;
using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>Parameters of POST /channels (originate), from the query string or the JSON body.</summary>
internal sealed record OriginateRequest(
    string? Endpoint, string? App, string? AppArgs, string? CallerId, string? Timeout, string? ChannelId,
    string? Extension, IReadOnlyDictionary<string, string> Variables, string? Originator = null);

/// <summary>Agency legs: ARI originate and the dialplan's fallback Dial(), driven by each trunk's <see cref="TrunkBehavior"/>.</summary>
internal sealed partial class Pbx
{
    private static readonly TimeSpan DefaultOriginateTimeout = TimeSpan.FromSeconds(30);

    public AriResponse Originate(OriginateRequest r) => MakeLeg(r, create: false);

    /// <summary>POST /channels/create: the channel enters Stasis at once (state Down) and waits for POST /channels/{id}/dial.</summary>
    public AriResponse Create(OriginateRequest r) => MakeLeg(r, create: true);

    private AriResponse MakeLeg(OriginateRequest r, bool create)
    {
        if (string.IsNullOrEmpty(r.Endpoint)) return AriResponse.Error(400, "Endpoint must be specified");
        if (string.IsNullOrEmpty(r.App))
            return string.IsNullOrEmpty(r.Extension) || create
                ? AriResponse.Error(400, "Application or extension must be specified")
                : AriResponse.Error(501, "Originate into the dialplan (extension/context) is not simulated; use app");
        int slash = r.Endpoint.IndexOf('/');
        if (slash <= 0 || slash == r.Endpoint.Length - 1) return AriResponse.Error(400, "Invalid endpoint specified");
        if (!TryTimeout(r.Timeout, out var timeout, out var timeoutError)) return timeoutError!;
        string tech = r.Endpoint[..slash];
        string resource = r.Endpoint[(slash + 1)..];

        lock (_gate)
        {
            if (r.ChannelId is { Length: > 0 } wanted && _channels.ContainsKey(wanted))
            {
                _originatesRejected++;
                return AriResponse.Error(409, "Channel with given unique ID already exists");
            }
            var behavior = tech.Equals("PJSIP", StringComparison.OrdinalIgnoreCase) ? ResolveTrunk(resource) : null;
            if (behavior is not null && _devices.TryGetValue(resource, out var phone) && phone.Behavior.HonoursAutoAnswer && AsksAutoAnswer(r.Variables))
            {
                behavior = TrunkBehavior.Answers(AutoAnswerDelay, behavior.HangUpAfterAnswer);
            }
            if (behavior is null)
            {
                _originatesRejected++;
                return new AriResponse(500, """{"error":"Allocation failed"}""");
            }

            // PJSIP/<number>@<endpoint> (a call back through the carrier): the channel is the endpoint's,
            // PJSIP/pstn-callback-00000012, as chan_pjsip names it; the dial string keeps the number.
            var leg = NewChannel(EndpointOf(resource), string.IsNullOrEmpty(r.ChannelId) ? null : r.ChannelId, "en");
            leg.Caller = ParseCallerId(r.CallerId);
            leg.Connected = leg.Caller;
            leg.Context = _devices.ContainsKey(resource) ? "from-calltaker" : "from-agency";
            leg.Exten = "s";
            leg.AppName = create ? "" : "AppDial2";
            leg.AppData = create ? "" : "(Outgoing Line)";
            foreach (var (k, v) in r.Variables) leg.Variables[k] = v;
            leg.VideoFormats = NegotiatedVideo(resource, r.Originator);
            leg.Leg = new OutboundLeg
            {
                Behavior = behavior,
                DialString = resource,
                Timeout = timeout,
                App = r.App,
                AppArgs = string.IsNullOrEmpty(r.AppArgs) ? [] : r.AppArgs.Split(','),
                Created = create,
            };
            if (!create) AnnounceOnEndpoint(leg);
            else EndpointChannelsChanged(resource);
            Subscribe(r.App, leg);
            _originates++;

            string body = AriJson.Write(w => AriJson.Channel(w, leg)); // state Down, as the 200 in the trace
            Ami(AmiFrames.Newchannel(leg));
            if (create)
            {
                // ari-originate-failures: ChannelDialplan → ChannelVarset STASISSTATUS '' → StasisStart (state Down).
                leg.AppName = "Stasis";
                leg.AppData = leg.Leg.AppArgs.Count == 0 ? r.App : r.App + "," + string.Join(',', leg.Leg.AppArgs);
                Ari(AriEvents.ChannelDialplan(Now, leg), leg);
                Ami(AmiFrames.Newexten(leg, leg.AppName, leg.AppData));
                SetVariable(leg, StasisStatus, "", ari: true);
                leg.StasisApp = r.App;
                Ari(AriEvents.StasisStart(Now, leg.Leg.AppArgs, leg), leg);
                return AriResponse.Ok(body);
            }
            leg.Leg.Dialled = true;
            Ami(AmiFrames.Newexten(leg, leg.AppName, leg.AppData));
            Ami(AmiFrames.Dial("DialBegin", null, leg, resource, null));
            Ari(AriEvents.Dial(Now, null, leg, "", resource), leg);
            StartLeg(leg);
            return AriResponse.Ok(body);
        }
    }

    /// <summary>POST /channels/{id}/dial?caller=&amp;timeout= on a created channel.</summary>
    public AriResponse DialCreated(string id, string? callerId, string? timeoutParam)
    {
        if (!TryTimeout(timeoutParam, out var timeout, out var timeoutError)) return timeoutError!;
        lock (_gate)
        {
            if (!_channels.TryGetValue(id, out var leg)) return AriResponse.ChannelNotFound;
            if (!leg.InStasis) return AriResponse.NotInStasis;
            if (leg.Leg is not { Created: true, Dialled: false } spec) return AriResponse.Error(409, "Channel is not in a state to be dialed");
            spec.Dialled = true;
            if (!string.IsNullOrEmpty(timeoutParam)) spec.Timeout = timeout;
            if (callerId is not null && _channels.TryGetValue(callerId, out var caller) && leg.Connected != caller.Caller)
            {
                leg.Connected = caller.Caller;
                Ari(AriEvents.ChannelConnectedLine(Now, leg), leg);
            }
            Ami(AmiFrames.Dial("DialBegin", null, leg, spec.DialString, null));
            Ari(AriEvents.Dial(Now, null, leg, "", spec.DialString), leg);
            StartLeg(leg);
            return AriResponse.NoContent;
        }
    }

    private static bool TryTimeout(string? value, out TimeSpan timeout, out AriResponse? error)
    {
        timeout = DefaultOriginateTimeout;
        error = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (!int.TryParse(value, out int seconds))
        {
            error = AriResponse.Error(400, $"timeout: '{value}' is not an integer");
            return false;
        }
        timeout = seconds < 0 ? TimeSpan.FromDays(1) : seconds == 0 ? DefaultOriginateTimeout : TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>
    /// A trunk's behaviour; a call-taker phone's while it is registered and reachable. A phone without a usable contact
    /// gives null: chan_pjsip cannot create the session ("No URI available. Is endpoint registered?"), the originate's
    /// dial prerun fails and ARI answers 500 Allocation failed, as for an endpoint that does not exist.
    /// A dial to <c>number@endpoint</c> behaves as set for that exact <c>number@endpoint</c> (a called-back
    /// caller who is busy or does not answer), else as the endpoint.
    /// </summary>
    private TrunkBehavior? ResolveTrunk(string resource) =>
        _devices.TryGetValue(resource, out var device) ? (device.Online ? device.Behavior.Dial : null)
        : _trunks.TryGetValue(resource, out var b) ? b
        : resource != EndpointOf(resource) && _trunks.TryGetValue(EndpointOf(resource), out var viaEndpoint) ? viaEndpoint
        : _options.UnknownEndpointBehavior;

    private static readonly TimeSpan AutoAnswerDelay = TimeSpan.FromMilliseconds(10);

    /// <summary>An INVITE that asks the phone to answer by itself: PJSIP_HEADER(add,Call-Info) with answer-after,
    /// or PJSIP_HEADER(add,Alert-Info) with an auto-answer info.</summary>
    private static bool AsksAutoAnswer(IReadOnlyDictionary<string, string> variables) =>
        variables.Any(v => v.Key.StartsWith("PJSIP_HEADER(add,", StringComparison.OrdinalIgnoreCase)
            && (v.Value.Contains("answer-after=", StringComparison.OrdinalIgnoreCase) || v.Value.Contains("autoanswer", StringComparison.OrdinalIgnoreCase)
                || v.Value.Contains("auto answer", StringComparison.OrdinalIgnoreCase)));

    private static string EndpointOf(string resource)
    {
        var at = resource.LastIndexOf('@');
        return at > 0 && at < resource.Length - 1 ? resource[(at + 1)..] : resource;
    }

    /// <summary>
    /// A new outgoing channel on an endpoint: EndpointStateChange (its channel_ids) and, for apps subscribed to the endpoint
    /// only (the originating app is not subscribed to the channel yet), ChannelCreated → ChannelDialplan → ChannelCallerId →
    /// ChannelConnectedLine, the snapshots turn2/ari-warm-transfer-stale-endpoint-subscription shows.
    /// </summary>
    private void AnnounceOnEndpoint(SimChannel leg)
    {
        EndpointChannelsChanged(leg.Resource);
        if (_endpointSubscriptions == 0) return;
        var (protocolId, caller, connected, app, data) = (leg.ProtocolId, leg.Caller, leg.Connected, leg.AppName, leg.AppData);
        leg.ProtocolId = "";
        leg.Caller = _devices.TryGetValue(leg.Resource, out var device) ? device.EndpointCallerId : PartyId.Empty;
        leg.Connected = PartyId.Empty;
        leg.AppName = leg.AppData = "";
        ToEndpointForwardsOnly(AriEvents.ChannelCreated(Now, leg), leg);
        (leg.ProtocolId, leg.AppName, leg.AppData) = (protocolId, app, data);
        ToEndpointForwardsOnly(AriEvents.ChannelDialplan(Now, leg), leg);
        leg.Caller = caller;
        ToEndpointForwardsOnly(AriEvents.ChannelCallerId(Now, leg), leg);
        leg.Connected = connected;
        ToEndpointForwardsOnly(AriEvents.ChannelConnectedLine(Now, leg), leg);
    }

    /// <summary>"112 Leitstelle" &lt;112&gt; | Name &lt;num&gt; | num.</summary>
    internal static PartyId ParseCallerId(string? callerId)
    {
        if (string.IsNullOrWhiteSpace(callerId)) return PartyId.Empty;
        string s = callerId.Trim();
        int lt = s.LastIndexOf('<');
        if (lt >= 0 && s.EndsWith('>'))
        {
            string number = s[(lt + 1)..^1].Trim();
            string name = s[..lt].Trim();
            if (name.Length >= 2 && name[0] == '"' && name[^1] == '"') name = name[1..^1];
            return new PartyId(name, number);
        }
        return new PartyId("", s);
    }

    /// <summary>The dialplan's fallback: <c>Dial(PJSIP/&lt;resource&gt;,30)</c> from a caller that is not (or no longer) in Stasis.</summary>
    private void DialFallback(SimChannel caller, string resource)
    {
        var call = caller.Call;
        // [sub-fallback] starts with Set(TIMEOUT(absolute)=0): the fallback's Dial() and its conversation are not cut.
        if (caller.HangUpAt is not null) SetAbsoluteTimeout(caller, "0");
        NextPriority(caller, "NoOp", $"routing112 unavailable: fallback to {resource}");
        NextPriority(caller, "Dial", $"PJSIP/{resource},{(int)_options.Dialplan.FallbackDialTimeout.TotalSeconds}");
        _fallbackDials++;
        if (call is not null)
        {
            call.FallbackEndpoint = resource;
            call.Note(Now, $"fallback dial to PJSIP/{resource}");
        }
        SetVariable(caller, DialStatus, "", ari: false);

        var behavior = ResolveTrunk(resource);
        if (behavior is null)
        {
            SetVariable(caller, DialStatus, "CHANUNAVAIL", ari: false);
            call?.Note(Now, $"fallback PJSIP/{resource}: CHANUNAVAIL (no such endpoint)");
            HangUpInDialplan(caller, 20, "dialplan");
            return;
        }

        var leg = NewChannel(resource, null, caller.Language, linkedId: caller.LinkedId);
        leg.Context = "from-agency";
        leg.Exten = caller.Exten;
        leg.AppName = "AppDial";
        leg.AppData = "(Outgoing Line)";
        leg.Caller = new PartyId("", caller.Exten);
        leg.Connected = caller.Caller;
        leg.Leg = new OutboundLeg { Behavior = behavior, DialString = resource, Timeout = _options.Dialplan.FallbackDialTimeout };
        leg.DialPeer = caller;
        caller.DialPeer = leg;
        Ami(AmiFrames.Newchannel(leg));
        Ami(AmiFrames.Dial("DialBegin", caller, leg, resource, null));
        Ari(AriEvents.Dial(Now, caller, leg, "", resource), leg, other: caller);
        StartLeg(leg);
    }

    /// <summary>Plays out the trunk's behaviour; every outcome is bounded by the dial timeout, as a real Dial()/originate is.</summary>
    private void StartLeg(SimChannel leg)
    {
        var spec = leg.Leg!;
        var b = spec.Behavior;
        switch (b.Answer)
        {
            case TrunkAnswer.Answer:
                Ringing(leg, stateChangeFirst: true);
                if (b.After < spec.Timeout) Schedule(leg, b.After, LegAnswers);
                else Schedule(leg, spec.Timeout, LegTimesOut);
                break;
            case TrunkAnswer.NoAnswer:
                Ringing(leg, stateChangeFirst: false); // this order in ari-originate-failures (180 Ringing only)
                Schedule(leg, spec.Timeout, LegTimesOut);
                break;
            case TrunkAnswer.Busy:
                if (b.After < spec.Timeout) Schedule(leg, b.After, l => LegFails(l, HangupCauses.UserBusy, 486, "BUSY"));
                else Schedule(leg, spec.Timeout, LegTimesOut);
                break;
            case TrunkAnswer.Fail:
                // A trunk that never answers at all (unreachable, trace) times out with cause 19 like no-answer.
                if (b.After < spec.Timeout) Schedule(leg, b.After, l => LegFails(l, HangupCauses.Congestion, null, "CONGESTION"));
                else Schedule(leg, spec.Timeout, LegTimesOut);
                break;
            default:
                throw new InvalidOperationException($"Trunk {leg.Resource}: unknown TrunkAnswer {b.Answer}");
        }
    }

    /// <summary>
    /// 180 Ringing. Answered legs in the 112-fire trace show ChannelStateChange first; the no-answer leg in
    /// ari-originate-failures shows Dial RINGING first, with the peer still Down.
    /// </summary>
    private void Ringing(SimChannel leg, bool stateChangeFirst)
    {
        var caller = leg.DialPeer;
        string dialString = leg.Leg!.DialString;
        if (stateChangeFirst)
        {
            leg.State = ChannelState.Ringing;
            Ari(AriEvents.ChannelStateChange(Now, leg), leg, other: caller);
            Ari(AriEvents.Dial(Now, caller, leg, "RINGING", dialString), leg, other: caller);
        }
        else
        {
            Ari(AriEvents.Dial(Now, caller, leg, "RINGING", dialString), leg, other: caller);
            leg.State = ChannelState.Ringing;
            Ari(AriEvents.ChannelStateChange(Now, leg), leg, other: caller);
        }
        Ami(AmiFrames.Newstate(leg));
        Ami(AmiFrames.Dial("DialState", caller, leg, dialString, "RINGING"));
        DeviceStateMayHaveChanged(leg.Resource);
    }

    private void LegAnswers(SimChannel leg)
    {
        var spec = leg.Leg!;
        var caller = leg.DialPeer;
        leg.State = ChannelState.Up;
        spec.Answered = true;
        Ari(AriEvents.ChannelStateChange(Now, leg), leg, other: caller);
        Ari(AriEvents.Dial(Now, caller, leg, "ANSWER", spec.DialString), leg, other: caller);
        Ami(AmiFrames.Newstate(leg));
        Ami(AmiFrames.Dial("DialEnd", caller, leg, spec.DialString, "ANSWER"));
        DeviceStateMayHaveChanged(leg.Resource);

        if (spec.Created)
        {
            // Already in Stasis since create: no second StasisStart.
        }
        else if (spec.App is { } app)
        {
            leg.AppName = "Stasis";
            leg.AppData = spec.AppArgs.Count == 0 ? app : app + "," + string.Join(',', spec.AppArgs);
            SetVariable(leg, StasisStatus, "", ari: true);
            if (!IsActive(app))
            {
                SetVariable(leg, StasisStatus, "FAILED", ari: true);
                EndChannel(leg, HangupCauses.NormalClearing, "dialplan");
                return;
            }
            leg.StasisApp = app;
            Subscribe(app, leg);
            Ari(AriEvents.StasisStart(Now, spec.AppArgs, leg), leg);
        }
        else if (caller is not null)
        {
            SetVariable(caller, DialStatus, "ANSWER", ari: false);
            caller.State = ChannelState.Up;
            Ami(AmiFrames.Newstate(caller));
            var bridge = new SimBridge
            {
                Id = Guid.NewGuid().ToString(), BridgeType = "mixing", Name = "", Created = Now,
                BridgeClass = "basic", Creator = "", VideoMode = "none",
            };
            Ami(AmiFrames.Bridge("BridgeCreate", bridge, null));
            foreach (var c in new[] { leg, caller })
            {
                bridge.Channels.Add(c);
                c.DialBridge = bridge;
                Ami(AmiFrames.Bridge("BridgeEnter", bridge, c));
            }
            bridge.Settle();
            if (caller.Call is { } call) PutThrough(caller, call, leg.Resource, $"fallback answered: bridged with {leg.Resource}");
        }

        if (spec.Behavior.HangUpAfterAnswer is { } h) Schedule(leg, h, AgencyHangsUp);
    }

    private void LegTimesOut(SimChannel leg)
    {
        // No final Dial event; ChannelDestroyed 19 "User alerting, no answer", tech_cause 480 (trace).
        EndChannel(leg, HangupCauses.NoAnswer, "peer", techCause: 480, dialStatus: "NOANSWER");
    }

    private void LegFails(SimChannel leg, int cause, int? techCause, string dialStatus)
    {
        var caller = leg.DialPeer;
        leg.HangupRequested = true;
        Ari(AriEvents.ChannelHangupRequest(Now, leg, cause, soft: false, techCause), leg, other: caller);
        Ami(AmiFrames.HangupRequest(leg, cause, techCause));
        if (!leg.Leg!.Created) // the created-then-dialled busy leg in the trace has no final Dial event
        {
            Ari(AriEvents.Dial(Now, caller, leg, dialStatus, leg.Leg.DialString), leg, other: caller);
            Ami(AmiFrames.Dial("DialEnd", caller, leg, leg.Leg.DialString, dialStatus));
        }
        EndChannel(leg, cause, "peer", techCause, dialStatus);
    }

    public bool AgencyHangsUp(string legChannelId)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(legChannelId, out var leg) || leg.Gone || leg.HangupRequested || leg.Leg is not { Answered: true }) return false;
            AgencyHangsUp(leg);
            return true;
        }
    }

    /// <summary>The agency hangs up: ChannelHangupRequest 16 → ChannelLeftBridge → StasisEnd → ChannelDestroyed 16.</summary>
    private void AgencyHangsUp(SimChannel leg)
    {
        if (leg.HangupRequested) return;
        leg.HangupRequested = true;
        SetRtpQos(leg);
        Ari(AriEvents.ChannelHangupRequest(Now, leg, HangupCauses.NormalClearing, soft: false), leg);
        Ami(AmiFrames.HangupRequest(leg, HangupCauses.NormalClearing));
        foreach (var peer in leg.Bridge?.Channels ?? [])
            peer.Call?.Note(Now, $"agency {leg.Resource} hung up");
        EndChannel(leg, HangupCauses.NormalClearing, "peer");
    }
}
