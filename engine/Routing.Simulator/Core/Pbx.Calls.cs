using Routing.Simulator.Ami;
using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>Callers: arrival in the dialplan, Stasis() or its failure, scripted DTMF and hang-up.</summary>
internal sealed partial class Pbx
{
    private const string StasisStatus = "STASISSTATUS";
    private const string DialStatus = "DIALSTATUS";
    private const int DtmfDurationMs = 280; // RFC 4733 digit in the 112-fire trace

    public SimulatedCall PlaceCall(CallScript script)
    {
        ValidateScript(script);
        lock (_gate)
        {
            var channel = NewChannel("caller", null, script.Language);
            channel.State = ChannelState.Ring;
            channel.Caller = new PartyId(script.CallerName, script.CallerNumber);
            channel.Context = script.Context;
            channel.Exten = script.Dialed;
            if (script.SipHeaders is { } headers) channel.SipHeaders = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
            channel.VideoFormats = script.VideoFormats ?? [];
            var call = new SimulatedCall(this, channel.Id, script, Now);
            channel.Call = call;
            _callsPlaced++;
            Ami(AmiFrames.Newchannel(channel));
            EndpointChannelsChanged(channel.Resource);
            DeviceStateMayHaveChanged(channel.Resource);

            var route = _options.Dialplan.Find(script.Context, script.Dialed);
            channel.Route = route;
            if (route is null)
            {
                // No such extension: the "i" extension hangs up.
                call.Note(Now, $"no dialplan route for {script.Dialed}@{script.Context}: hung up");
                HangUpInDialplan(channel, HangupCauses.Unallocated, "dialplan");
                return call;
            }

            if (script.HangUpAfter is { } giveUp) Schedule(channel, giveUp, c => CallerHangsUp(c));
            if (route.StasisPriority > 1)
                Ami(AmiFrames.Newexten(channel, "NoOp", $"{script.Dialed} call from \"{script.CallerName}\" <{script.CallerNumber}> on {channel.Name}"));
            channel.Priority = route.StasisPriority;
            channel.AppName = "Stasis";
            channel.AppData = route.AppData;
            Ami(AmiFrames.Newexten(channel, "Stasis", route.AppData));
            if (_options.Dialplan.AbsoluteTimeout > TimeSpan.Zero)
            {
                // Set(TIMEOUT(absolute)=${DEADMAN_SECONDS}) just before Stasis().
                SetAbsoluteTimeout(channel, _options.Dialplan.AbsoluteTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            SetVariable(channel, StasisStatus, "", ari: false);

            if (ShedByDialplan())
            {
                // GotoIf($[0${GLOBAL(ROUTING112_SHED_UNTIL)} > ${EPOCH}]?shed): the caller never enters Stasis.
                call.Note(Now, $"{DialplanOptions.ShedUntilVariable} in the future: shed to the fallback without Stasis");
                SetVariable(channel, StasisStatus, "SHED", ari: false);
                NextPriority(channel, "Gosub", "sub-fallback,s,1");
                DialFallback(channel, route.FallbackEndpoint);
            }
            else if (IsActive(route.App))
            {
                channel.StasisApp = route.App;
                Subscribe(route.App, channel);
                _callsReachedStasis++;
                call.ReachedStasis = true;
                call.Note(Now, $"entered Stasis({route.AppData})");
                Ari(AriEvents.StasisStart(Now, route.Args, channel), channel);
            }
            else
            {
                // app_stasis.c: "Stasis app 'x' not active" / "doesn't exist" → returns at once with FAILED.
                SetVariable(channel, StasisStatus, "FAILED", ari: false);
                call.Note(Now, $"Stasis app {route.App} not active: STASISSTATUS=FAILED");
                NextPriority(channel, "NoOp", "Stasis returned STASISSTATUS=FAILED");
                NextPriority(channel, "GotoIf", "1?fallback");
                channel.Priority++; // the jump skips the Hangup() before the fallback label
                DialFallback(channel, route.FallbackEndpoint);
            }
            return call;
        }
    }

    /// <summary>The engine's overload flag, read as the shipped dialplan reads it (a Unix time; anything else is 0).</summary>
    private bool ShedByDialplan() =>
        _options.Dialplan.ShedCheck
        && _globals.TryGetValue(DialplanOptions.ShedUntilVariable, out var until)
        && long.TryParse(until, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && seconds > Now.ToUnixTimeSeconds();

    private static void ValidateScript(CallScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (script.CallerNumber is null) throw new ArgumentException("CallScript.CallerNumber must not be null (use \"\" for an anonymous caller)");
        if (string.IsNullOrEmpty(script.Dialed)) throw new ArgumentException("CallScript.Dialed must not be empty");
        if (string.IsNullOrEmpty(script.Context)) throw new ArgumentException("CallScript.Context must not be empty");
        if (script.HangUpAfter is { } h && h < TimeSpan.Zero) throw new ArgumentException($"CallScript.HangUpAfter {h} is negative");
        if (script.TalkFor is { } t && t < TimeSpan.Zero) throw new ArgumentException($"CallScript.TalkFor {t} is negative");
        for (int i = 0; i < (script.Dtmf?.Count ?? 0); i++)
        {
            var step = script.Dtmf![i];
            if (!IsDtmfDigit(step.Digit)) throw new ArgumentException($"CallScript.Dtmf[{i}]: '{step.Digit}' is not a DTMF digit (0-9 * # A-D)");
            if (step.After < TimeSpan.Zero) throw new ArgumentException($"CallScript.Dtmf[{i}]: delay {step.After} is negative");
        }
    }

    private static bool IsDtmfDigit(char d) => d is >= '0' and <= '9' or '*' or '#' or >= 'A' and <= 'D';

    private void NextPriority(SimChannel channel, string app, string data)
    {
        channel.Priority++;
        channel.AppName = app;
        channel.AppData = data;
        Ami(AmiFrames.Newexten(channel, app, data));
    }

    private void SetVariable(SimChannel channel, string name, string value, bool ari)
    {
        channel.Variables[name] = value;
        Ami(AmiFrames.VarSet(channel, name, value));
        if (ari) Ari(AriEvents.ChannelVarset(Now, channel, name, value), channel);
    }

    /// <summary>The caller's answer starts the scripted digits (each step's delay counts from the previous one).</summary>
    private void ScheduleScriptedDtmf(SimChannel channel)
    {
        var steps = channel.Call?.Script.Dtmf;
        if (steps is null || steps.Count == 0) return;
        var at = TimeSpan.Zero;
        foreach (var step in steps)
        {
            at += step.After;
            char digit = step.Digit;
            Schedule(channel, at, c => ReceiveDtmf(c, digit));
        }
    }

    public void CallerSendsDtmf(string channelId, char digit)
    {
        if (!IsDtmfDigit(digit)) throw new ArgumentException($"'{digit}' is not a DTMF digit (0-9 * # A-D)", nameof(digit));
        lock (_gate)
        {
            if (_channels.TryGetValue(channelId, out var channel)) ReceiveDtmf(channel, digit);
        }
    }

    private void ReceiveDtmf(SimChannel channel, char digit)
    {
        channel.Call?.Note(Now, $"pressed {digit}");
        Ami(AmiFrames.Dtmf(channel, begin: true, digit, 0, received: true));
        Ami(AmiFrames.Dtmf(channel, begin: false, digit, DtmfDurationMs, received: true));
        if (channel.InStasis) Ari(AriEvents.ChannelDtmfReceived(Now, channel, digit, DtmfDurationMs), channel);
        // In a bridge the digit is passed on to the other side (AMI shows it as Direction: Sent).
        foreach (var peer in BridgePeers(channel))
        {
            Ami(AmiFrames.Dtmf(peer, begin: true, digit, 0, received: false));
            Ami(AmiFrames.Dtmf(peer, begin: false, digit, DtmfDurationMs, received: false));
        }
    }

    private IEnumerable<SimChannel> BridgePeers(SimChannel channel)
    {
        if (channel.Bridge is { } b) return b.Channels.Where(c => c != channel).ToArray();
        if (channel.DialBridge is { } basic) return basic.Channels.Where(c => c != channel).ToArray();
        return [];
    }

    public void CallerHangsUp(string channelId)
    {
        lock (_gate)
        {
            if (_channels.TryGetValue(channelId, out var channel)) CallerHangsUp(channel);
        }
    }

    /// <summary>The caller sends BYE: ChannelHangupRequest (no cause) → ChannelLeftBridge → StasisEnd; no ChannelDestroyed (turn2 traces).</summary>
    private void CallerHangsUp(SimChannel channel)
    {
        if (channel.Gone || channel.HangupRequested) return;
        channel.HangupRequested = true;
        channel.Call?.Note(Now, "caller hung up");
        SetRtpQos(channel);
        Ari(AriEvents.ChannelHangupRequest(Now, channel, cause: null, soft: false), channel);
        Ami(AmiFrames.HangupRequest(channel, cause: null));
        EndChannel(channel, HangupCauses.NormalClearing, "caller");
    }

    /// <summary>The dialplan after Stasis() or Dial(): Hangup().</summary>
    private void HangUpInDialplan(SimChannel channel, int cause, string hungUpBy)
    {
        if (channel.Gone) return;
        if (channel.Route is not null && channel.AppName != "Hangup") NextPriority(channel, "Hangup", "");
        EndChannel(channel, cause, hungUpBy);
    }
}
