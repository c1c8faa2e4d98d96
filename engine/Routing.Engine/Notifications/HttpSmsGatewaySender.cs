using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Routing.Engine.Notifications;

/// <summary>An HTTP SMS gateway: <c>POST {url}</c> with <c>{"to":"+7701…","text":"…"}</c> and a bearer token.
/// 2xx is sent; 408, 429 and 5xx are worth another try; any other 4xx is a refusal of this message.</summary>
public sealed class HttpSmsGatewaySender(HttpClient http, Uri url, string token) : ICallerMessageSender
{
    public string Name => "http";

    public async Task SendAsync(string number, string text, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new GatewayMessage(number, text)),
        };
        if (token.Length > 0) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CallerMessageException($"SMS gateway {url.Host}: {ex.Message}", transient: true, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CallerMessageException($"SMS gateway {url.Host}: no answer within {http.Timeout.TotalSeconds:0} s", transient: true, ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode) return;
            var status = (int)response.StatusCode;
            var transient = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            throw new CallerMessageException($"SMS gateway {url.Host} answered {status} {response.ReasonPhrase}", transient);
        }
    }

    private sealed record GatewayMessage(string To, string Text);
}
