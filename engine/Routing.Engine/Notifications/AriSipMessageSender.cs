using Routing.Asterisk.Ari;

namespace Routing.Engine.Notifications;

/// <summary>SIP MESSAGE through Asterisk to the SMS gateway trunk (ARI <c>PUT /endpoints/sendMessage</c>): the
/// default sender, configured in dialplans/ (the gateway endpoint). Asterisk answers 202 and sends on its own,
/// so a refusal it learns later never comes back here; a non-2xx answer is a failure of this attempt.</summary>
public sealed class AriSipMessageSender(IAriRestClient ari, string toTemplate, string from) : ICallerMessageSender
{
    public string Name => "sip-message";

    public async Task SendAsync(string number, string text, CancellationToken cancellationToken)
    {
        try
        {
            await ari.SendMessageAsync(toTemplate.Replace("{number}", number, StringComparison.Ordinal), from, text, null, cancellationToken).ConfigureAwait(false);
        }
        catch (AriException ex)
        {
            // 400/404: Asterisk refuses this message as such (a bad destination); anything else may pass.
            var status = (int)ex.StatusCode;
            throw new CallerMessageException($"ARI sendMessage: {ex.Message}", transient: status >= 500, ex);
        }
        catch (AriUnavailableException ex)
        {
            throw new CallerMessageException($"ARI sendMessage: {ex.Message}", transient: true, ex);
        }
    }
}
