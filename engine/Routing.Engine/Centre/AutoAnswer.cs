using Routing.Calls.Centre;

namespace Routing.Engine.Centre;

/// <summary>
/// The one place that asks a call-taker's phone to answer by itself: in Console mode (<see cref="CentreOptions.OfferModeOf"/>)
/// every call the engine rings that phone with — an offer, a call back the call-taker started — carries <see cref="CentreOptions.AutoAnswerHeaders"/>
/// as <c>PJSIP_HEADER(add,…)</c> channel variables, which chan_pjsip reads from the outbound channel before it sends the
/// INVITE. In Device mode (answering the phone is the accept) there are none, and neither for the engine's own call-back
/// attempts (<see cref="Callbacks.CallbackCalls.DialAsync"/>): nobody at the desk chose those, so a person must pick up.
/// </summary>
internal static class AutoAnswer
{
    /// <summary>Adds the auto-answer header variables for <paramref name="position"/> to <paramref name="variables"/>;
    /// true when the position is in Console mode (even if every header was configured empty).</summary>
    public static bool AddTo(IDictionary<string, string> variables, CentreOptions options, string position)
    {
        if (options.OfferModeOf(position) != OfferMode.Console)
        {
            return false;
        }

        foreach (var (name, value) in options.AutoAnswerHeaders.Where(h => !string.IsNullOrWhiteSpace(h.Value)))
        {
            variables[$"PJSIP_HEADER(add,{name})"] = value;
        }

        return true;
    }
}
