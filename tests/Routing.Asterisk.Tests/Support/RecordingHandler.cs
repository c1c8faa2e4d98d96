using System.Net;
using System.Text;

namespace Routing.Asterisk.Tests.Support;

/// <summary>An HttpMessageHandler that records every request exactly as sent and answers from a script.</summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _replies = new();

    public List<RecordedRequest> Requests { get; } = [];

    public RecordingHandler Reply(HttpStatusCode status, string? json = null)
    {
        _replies.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status);
            if (json is not null) response.Content = new StringContent(json, Encoding.UTF8, "application/json");
            return response;
        });
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new RecordedRequest(
            request.Method.Method,
            request.RequestUri!.AbsoluteUri,
            request.Headers.Authorization?.ToString(),
            request.Content?.Headers.ContentType?.MediaType,
            body));
        if (_replies.Count == 0) throw new InvalidOperationException($"no scripted reply for {request.Method} {request.RequestUri}");
        return _replies.Dequeue()();
    }
}

public sealed record RecordedRequest(string Method, string Url, string? Authorization, string? ContentType, string? Body)
{
    public string Line => $"{Method} {Url}";
}
