using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Routing.Engine.Operators;

namespace Routing.Engine.Simulation;

/// <summary>
/// The synthetic call-takers' hands on the operator API. A request that fails or times out is logged and
/// reported as not done, never thrown: on a loaded box an HttpClient timeout escaped the log-in loop, ended the
/// background service and with it the whole engine (exit 1 in the spool crash test).
/// </summary>
internal sealed class OperatorApiRobot(HttpClient http, IReadOnlyDictionary<string, string> tokens, ILogger logger)
{
    /// <summary>Logs <paramref name="user"/> in at <paramref name="position"/>, trying again each second until the
    /// API says yes or the engine stops; a position whose robot gave up after one timeout would sit empty all run.</summary>
    public async Task LoginAsync(string user, string position, TimeProvider time, CancellationToken cancellationToken)
    {
        while (!await PostAsync(user, $"/api/calltakers/{position}/login", null, cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when the API accepted the action; false (logged) when it refused, failed or timed out.</summary>
    public async Task<bool> PostAsync(string user, string path, object? body, CancellationToken cancellationToken)
    {
        try
        {
            using var request = Request(HttpMethod.Post, path, user, body);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException ex)
        {
            LogMessages.SyntheticCallTakerFailed(logger, user, $"POST {path}: {ex.Message}");
            return false;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogMessages.SyntheticCallTakerFailed(logger, user, $"POST {path}: {ex.Message}");
            return false;
        }
    }

    /// <summary>The state of the call's transfer as the call card shows it; null when the card cannot be read.</summary>
    public async Task<string?> TransferStateAsync(string user, string callId, CancellationToken cancellationToken)
    {
        try
        {
            using var request = Request(HttpMethod.Get, $"/api/calls/{callId}", user, null);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var card = await response.Content.ReadFromJsonAsync<CallCardDto>(cancellationToken).ConfigureAwait(false);
            return card?.Transfer?.State;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogMessages.SyntheticCallTakerFailed(logger, user, $"GET /api/calls/{callId}: {ex.Message}");
            return null;
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string user, object? body)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(OperatorIdentityMiddleware.UserHeader, user);
        if (tokens.TryGetValue(user, out var token))
        {
            request.Headers.Add("Cookie", $"{SignIn.ConsoleSignInMiddleware.CookieName}={token}");
        }

        return request;
    }
}
