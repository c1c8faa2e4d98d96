using System.Net;
using System.Text.Json;
using Routing.Engine.Notifications;

namespace Routing.Engine.Tests.Notifications;

public sealed class HttpSmsGatewaySenderTests
{
    [Fact]
    public async Task The_gateway_gets_the_number_the_text_and_the_token()
    {
        var handler = new StubHandler(HttpStatusCode.Accepted);
        var sender = new HttpSmsGatewaySender(new HttpClient(handler), new Uri("http://127.0.0.1:9/sms"), "secret-token");

        await sender.SendAsync("+77011234567", "112: № AB12", CancellationToken.None);

        Assert.Equal("Bearer secret-token", handler.Authorization);
        using var body = JsonDocument.Parse(handler.Body!);
        Assert.Equal("+77011234567", body.RootElement.GetProperty("to").GetString());
        Assert.Equal("112: № AB12", body.RootElement.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    public async Task A_refusal_is_final_and_an_outage_is_worth_another_try(HttpStatusCode status, bool transient)
    {
        var sender = new HttpSmsGatewaySender(new HttpClient(new StubHandler(status)), new Uri("http://127.0.0.1:9/sms"), "");

        var error = await Assert.ThrowsAsync<CallerMessageException>(() => sender.SendAsync("+7701", "x", CancellationToken.None));

        Assert.Equal(transient, error.Transient);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Fact]
    public async Task A_gateway_that_cannot_be_reached_is_a_transient_failure()
    {
        var sender = new HttpSmsGatewaySender(new HttpClient(new ThrowingHandler()), new Uri("http://127.0.0.1:9/sms"), "");

        var error = await Assert.ThrowsAsync<CallerMessageException>(() => sender.SendAsync("+7701", "x", CancellationToken.None));

        Assert.True(error.Transient);
    }

    private sealed class StubHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public string? Body { get; private set; }

        public string? Authorization { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            Authorization = request.Headers.Authorization?.ToString();
            return new HttpResponseMessage(status);
        }
    }

    private sealed class ThrowingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused (127.0.0.1:9)");
    }
}
