using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Routing.Simulator.Ari;

/// <summary>
/// ARI REST over the event websocket (events.json RESTRequest / RESTResponse; Asterisk 20.14+/21.9+/22.4+),
/// as res/ari/ari_websocket_requests.c does it: the request goes through the same routes as HTTP and is
/// logged and counted like one; the answer is a RESTResponse on the same socket, with the status, reason
/// phrase and body HTTP would have given. A request it cannot parse gets 400 "Bad request" with Asterisk's
/// message ("No 'type' property.", "Unknown request type.", ...); text that is not JSON is ignored, as
/// Asterisk only logs "WebSocket input failed to parse".
/// </summary>
internal sealed class RestOverWebSocket(AriRoutes routes, RequestLog log)
{
    private const string FormContent = "application/x-www-form-urlencoded";
    private const string JsonContent = "application/json";

    /// <summary>The RESTResponse to send back, or null when the text is not JSON at all (ignored).</summary>
    public string? Handle(string text)
    {
        JsonElement message;
        try
        {
            using var document = JsonDocument.Parse(text);
            message = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }

        string transactionId = Text(message, "transaction_id") ?? "";
        string requestId = Text(message, "request_id") ?? "";
        var (request, error) = Parse(message);
        if (request is null)
            return Respond(transactionId, requestId, Text(message, "uri") ?? "", 400, BadRequestPhrase, AriJson.Message(error!));

        var response = request.Error ?? routes.Dispatch(new AriRequest(request.Method, request.Segments, request.Query, request.Body));
        log.Record(new RecordedRequest(request.Method, "/ari/" + request.Uri, request.QueryText, request.RawBody, response.Status));
        return Respond(transactionId, requestId, request.Uri, response.Status, ReasonPhrases.GetReasonPhrase(response.Status), response.Body);
    }

    private const string BadRequestPhrase = "Bad request";

    private sealed record Parsed(string Method, string Uri, string[] Segments, IQueryCollection Query, string QueryText, JsonElement? Body, string? RawBody, AriResponse? Error);

    /// <summary>The checks of parse_rest_request_msg, in its order: the request, or the message of the first that fails.</summary>
    private static (Parsed? Request, string? Error) Parse(JsonElement message)
    {
        string? type = Text(message, "type");
        if (string.IsNullOrEmpty(type)) return (null, "No 'type' property.");
        if (type != "RESTRequest") return (null, "Unknown request type.");
        string uri = Text(message, "uri") ?? "";
        if (uri.Length == 0) return (null, "Empty or missing 'uri' property.");

        var query = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        var queryText = new List<string>();
        int questionMark = uri.IndexOf('?');
        if (questionMark >= 0)
        {
            foreach (var (name, value) in QueryHelpers.ParseQuery(uri[questionMark..])) Add(query, queryText, name, value);
            uri = uri[..questionMark];
        }

        string? method = Text(message, "method")?.ToUpperInvariant();
        if (method is not ("GET" or "POST" or "PUT" or "DELETE" or "HEAD" or "OPTIONS")) return (null, "Unknown or missing 'method' property.");

        if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("query_strings", out var strings) && strings.ValueKind != JsonValueKind.Null)
        {
            if (strings.ValueKind != JsonValueKind.Array) return (null, "Unable to parse 'query_strings' array.");
            foreach (var pair in strings.EnumerateArray())
            {
                if (pair.ValueKind != JsonValueKind.Object || Text(pair, "name") is not { Length: > 0 } name || Text(pair, "value") is not { } value)
                    return (null, "Unable to parse 'query_strings' array.");
                Add(query, queryText, name, value);
            }
        }

        JsonElement? body = null;
        string? rawBody = Text(message, "message_body");
        if (!string.IsNullOrEmpty(rawBody))
        {
            switch (Text(message, "content_type"))
            {
                case null or "":
                    return (null, "No 'content_type' for 'message_body'.");
                case FormContent:
                    foreach (var (name, value) in QueryHelpers.ParseQuery("?" + rawBody)) Add(query, queryText, name, value);
                    break;
                case JsonContent:
                    try
                    {
                        using var document = JsonDocument.Parse(rawBody);
                        body = document.RootElement.Clone();
                    }
                    catch (JsonException)
                    {
                        return (null, "Unable to parse 'message_body' as 'application/json'.");
                    }
                    break;
                default:
                    return (null, "Unknown content type.");
            }
        }

        string[] segments = uri.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // Over HTTP the events path is the websocket upgrade, not a resource; asked for over the socket it is not found.
        var error = segments is ["events", ..] ? AriResponse.ResourceNotFound : null;
        return (new Parsed(method, uri, segments, new QueryCollection(query), string.Join('&', queryText), body, rawBody, error), null);
    }

    private static void Add(Dictionary<string, StringValues> query, List<string> text, string name, StringValues value)
    {
        query[name] = query.TryGetValue(name, out var existing) ? StringValues.Concat(existing, value) : value;
        foreach (var v in value) text.Add($"{name}={v}");
    }

    /// <summary>A string property; null when missing, not a string, or when the element is not an object
    /// (jansson's ast_json_object_get on a non-object finds nothing either).</summary>
    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Respond(string transactionId, string requestId, string uri, int status, string reason, string? body) =>
        AriJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "RESTResponse");
            w.WriteString("transaction_id", transactionId);
            w.WriteString("request_id", requestId);
            w.WriteNumber("status_code", status);
            w.WriteString("reason_phrase", reason);
            w.WriteString("uri", uri);
            if (body is not null)
            {
                w.WriteString("content_type", JsonContent);
                w.WriteString("message_body", body);
            }
            w.WriteEndObject();
        });
}
