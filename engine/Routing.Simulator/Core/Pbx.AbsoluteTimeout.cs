using System.Globalization;
using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>
/// TIMEOUT(absolute), the dead man's switch of our dialplan. Written by <c>Set(TIMEOUT(absolute)=N)</c> before
/// Stasis() (<see cref="DialplanOptions.AbsoluteTimeout"/>), by ARI <c>POST /channels/{id}/variable</c> and by AMI
/// <c>Setvar</c>; cleared by the first step of [sub-fallback]. As funcs/func_timeout.c does: "N" or "N.f" seconds
/// from now, 0 (or anything not a number) clears it, no ChannelVarset (pbx_builtin_setvar_helper hands a function
/// to ast_func_write), and reading it gives the seconds left as "%.3f", or "0". When it fires
/// (main/channel.c: AST_SOFTHANGUP_TIMEOUT) a channel in Stasis leaves it as a hang-up would, StasisEnd and
/// STASISSTATUS=SUCCESS (res/res_stasis.c), but the PBX, seeing the timeout flag, clears it and continues at the
/// context's "T" extension (main/pbx.c __ast_pbx_run), whose fallback is the entry's own destination.
/// </summary>
internal sealed partial class Pbx
{
    public const string AbsoluteTimeoutFunction = "TIMEOUT(absolute)";

    /// <summary>The variable the dialplan's T extension sets before the fallback (its AMI and CEL events carry it).</summary>
    public const string DeadManVariable = "ROUTING112_DEADMAN";

    private static bool IsAbsoluteTimeout(string name) => string.Equals(name, AbsoluteTimeoutFunction, StringComparison.OrdinalIgnoreCase);

    /// <summary>func_timeout.c timeout_write: sscanf("%ld%lf"); nothing, or a negative number, clears it.</summary>
    private void SetAbsoluteTimeout(SimChannel channel, string value)
    {
        if (channel.AbsoluteTimeout is { } armed)
        {
            armed.Dispose();
            channel.Timers.Remove(armed); // re-armed every few seconds: the list must not grow with it
        }
        channel.AbsoluteTimeout = null;
        channel.HangUpAt = null;
        var seconds = ParseSeconds(value);
        if (seconds <= 0)
        {
            channel.Call?.Note(Now, "TIMEOUT(absolute) cleared");
            return;
        }
        var due = TimeSpan.FromSeconds(seconds);
        channel.HangUpAt = Now + due;
        channel.AbsoluteTimeout = Schedule(channel, due, AbsoluteTimeoutFires);
    }

    private string ReadAbsoluteTimeout(SimChannel channel) =>
        channel.HangUpAt is { } at ? ((at - Now).TotalMilliseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture) : "0";

    private static double ParseSeconds(string value)
    {
        var text = value.AsSpan().TrimStart();
        var end = 0;
        if (end < text.Length && text[end] is '+' or '-') end++;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.')) end++;
        return double.TryParse(text[..end], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds) ? seconds : 0;
    }

    private void AbsoluteTimeoutFires(SimChannel channel)
    {
        channel.AbsoluteTimeout = null;
        channel.HangUpAt = null;
        channel.Call?.Note(Now, "TIMEOUT(absolute) fired");
        if (channel.InStasis)
        {
            StopPlaybacks(channel);
            LeaveBridge(channel, alive: true);
            LeaveStasis(channel);
        }
        if (channel.Leg is not null || channel.Route is not { } route)
        {
            // No T extension where this channel runs (an agency leg's from-agency): the PBX hangs it up.
            EndChannel(channel, HangupCauses.NormalClearing, "dialplan");
            return;
        }
        if (channel.Call is { } call) call.LeftStasisOnTimeout = true;
        channel.Exten = "T";
        channel.Priority = 0;
        NextPriority(channel, "NoOp", "caller waited without the engine");
        NextPriority(channel, "Set", $"{DeadManVariable}=1");
        SetVariable(channel, DeadManVariable, "1", ari: false);
        NextPriority(channel, "Gosub", $"sub-fallback,s,1({route.FallbackEndpoint})");
        DialFallback(channel, FallbackTarget(channel, route));
    }

    public bool IsAbsoluteTimeoutArmed(string channelId)
    {
        lock (_gate) return _channels.TryGetValue(channelId, out var c) && c.HangUpAt is not null;
    }

    /// <summary>Every channel in a Stasis app, with the ARI bridge it is in (null when in none).</summary>
    public IReadOnlyDictionary<string, string?> ChannelsInStasis
    {
        get
        {
            lock (_gate) return _channels.Values.Where(c => !c.Gone && c.InStasis).ToDictionary(c => c.Id, c => c.Bridge?.Id, StringComparer.Ordinal);
        }
    }

    /// <summary>AMI Setvar (main/manager.c action_setvar): the channel by name or uniqueid; null, or Asterisk's error text.</summary>
    public string? AmiSetvar(string? channelName, string? variable, string? value)
    {
        if (string.IsNullOrEmpty(variable)) return "No variable specified";
        lock (_gate)
        {
            // No Channel: a global variable (main/manager.c action_setvar: pbx_builtin_setvar_helper(NULL, ...), an
            // empty Value sets it empty), the same ones ARI's POST /asterisk/variable sets.
            if (string.IsNullOrEmpty(channelName))
            {
                _globals[variable] = value ?? "";
                return null;
            }

            var channel = _channels.Values.FirstOrDefault(c => !c.Gone && (c.Id == channelName || string.Equals(c.Name, channelName, StringComparison.OrdinalIgnoreCase)));
            if (channel is null) return "No such channel";
            if (IsAbsoluteTimeout(variable)) SetAbsoluteTimeout(channel, value ?? "");
            else SetVariable(channel, variable, value ?? "", ari: channel.InStasis);
            return null;
        }
    }
}
