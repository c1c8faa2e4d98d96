using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>
/// ARI <c>POST /channels/{id}/continue?context=&amp;extension=&amp;priority=&amp;label=</c>, resolved as
/// res/ari/resource_channels.c ast_ari_channels_continue_in_dialplan does, then played on the simulated
/// dialplan extension (<see cref="DialplanRoute"/>): NoOp, ..., Stasis at S, GotoIf at S+1, Hangup at S+2,
/// <c>n(fallback)</c> at S+3, Hangup at S+4 — the shape of every Stasis extension in dialplans/extensions.conf.
/// </summary>
internal sealed partial class Pbx
{
    /// <summary>The only priority label our dialplan has (the engine's AriTelephony.FallbackLabel).</summary>
    public const string FallbackLabel = "fallback";

    public AriResponse Continue(string id, string? context = null, string? extension = null, string? priority = null, string? label = null) =>
        InStasis(id, c =>
        {
            // Asterisk: no context → the channel's context, and the given extension or the channel's;
            // a context without an extension → "s".
            var (targetContext, targetExten) = string.IsNullOrEmpty(context)
                ? (c.Context, string.IsNullOrEmpty(extension) ? c.Exten : extension)
                : (context, string.IsNullOrEmpty(extension) ? "s" : extension);
            var route = c.Leg is null ? _options.Dialplan.Find(targetContext, targetExten) : null;

            int target;
            if (!string.IsNullOrEmpty(label))
            {
                // sscanf("%30d"): a number is a priority; anything else is looked up as a label.
                if (LeadingInteger(label) is { } number) target = number;
                else if (route is not null && string.Equals(label, FallbackLabel, StringComparison.Ordinal)) target = route.StasisPriority + 3;
                else return AriResponse.Error(404, "Requested label can not be found");
                if (target == 0) return AriResponse.Error(400, "Requested priority is illegal");
            }
            else if (LeadingInteger(priority) is { } p and not 0) target = p;
            else if (string.IsNullOrEmpty(context) && string.IsNullOrEmpty(extension)) target = c.Priority + 1;
            else target = 1;

            if (route is not null && target >= 1 && target <= route.StasisPriority)
                return AriResponse.Error(501, "continue to a priority up to Stasis() (running the extension again) is not simulated");

            StopPlaybacks(c);
            LeaveBridge(c, alive: true);
            LeaveStasis(c);
            if (c.Leg is not null && string.IsNullOrEmpty(context) && string.IsNullOrEmpty(extension))
            {
                EndChannel(c, HangupCauses.NormalClearing, "dialplan"); // from-agency has nothing after Stasis
                return AriResponse.NoContent;
            }
            c.Call?.Note(Now, $"app continued the call in the dialplan at {targetContext},{targetExten},{(string.IsNullOrEmpty(label) ? target.ToString(System.Globalization.CultureInfo.InvariantCulture) : label)}");
            c.Context = targetContext;
            c.Exten = targetExten;
            c.Route = route;
            if (route is null)
            {
                // No such extension and no "i" in the simulated dialplan: the PBX hangs the channel up.
                c.Call?.Note(Now, $"no dialplan extension {targetExten}@{targetContext}: hung up");
                EndChannel(c, HangupCauses.NormalClearing, "dialplan");
                return AriResponse.NoContent;
            }

            var s = route.StasisPriority;
            c.Priority = target - 1;
            if (target == s + 1)
            {
                // GotoIf($["${STASISSTATUS}" = "FAILED" | "${ROUTING112_FAILOVER}" = "1"]?fallback)
                NextPriority(c, "GotoIf", "Stasis returned STASISSTATUS=SUCCESS");
                if (c.Variables.GetValueOrDefault(DialplanOptions.FailoverVariable) == "1")
                {
                    c.Priority = s + 2; // the jump lands on n(fallback)
                    DialFallback(c, FallbackTarget(c, route));
                }
                else
                {
                    HangUpInDialplan(c, HangupCauses.NormalClearing, "dialplan");
                }
            }
            else if (target == s + 3)
            {
                DialFallback(c, FallbackTarget(c, route));
            }
            else
            {
                // S+2 and S+4 are Hangup(); past the end the PBX finds no priority and hangs up.
                HangUpInDialplan(c, HangupCauses.NormalClearing, "dialplan");
            }
            return AriResponse.NoContent;
        });

    /// <summary>What [sub-fallback] dials: ROUTING112_FALLBACK_ENDPOINT, else PJSIP/ROUTING112_AGENCY, else the extension's default.</summary>
    private static string FallbackTarget(SimChannel c, DialplanRoute route)
    {
        string? target = c.Variables.GetValueOrDefault(DialplanOptions.FallbackEndpointVariable);
        if (string.IsNullOrWhiteSpace(target)) target = c.Variables.GetValueOrDefault(DialplanOptions.AgencyVariable);
        if (string.IsNullOrWhiteSpace(target)) target = route.FallbackEndpoint;
        return target.StartsWith("PJSIP/", StringComparison.OrdinalIgnoreCase) ? target["PJSIP/".Length..] : target;
    }

    /// <summary>C's <c>sscanf("%30d")</c> / <c>atoi</c>: the leading integer of the text, if any.</summary>
    private static int? LeadingInteger(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var span = text.AsSpan().TrimStart();
        var end = span.Length > 0 && span[0] is '+' or '-' ? 1 : 0;
        while (end < span.Length && char.IsAsciiDigit(span[end]) && end < 11) end++;
        return int.TryParse(span[..end], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
