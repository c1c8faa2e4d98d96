using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>ARI request bodies are read in chunks up to a bound, whether or not their length is announced.</summary>
public sealed class RequestBodyTests
{
    /// <summary>A body sent chunked, with no Content-Length, so only the reader's own bound can stop it.</summary>
    private sealed class ChunkedBody(string text) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static async Task<(int Status, string Body)> PostChunkedAsync(SimulatedAsterisk sim, string path, string body)
    {
        using var http = new HttpClient { BaseAddress = new Uri(sim.AriBaseUrl.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("routing:routing-secret"u8.ToArray()));
        using var content = new ChunkedBody(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(path, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_chunked_body_over_one_MiB_is_refused_with_413_naming_the_bound()
    {
        await using var sim = await Sims.StartAsync();
        string huge = "{\"variables\":{\"X\":\"" + new string('x', (1 << 20) + 10) + "\"}}";

        var (status, body) = await PostChunkedAsync(sim, "/ari/bridges", huge);

        Assert.Equal(413, status);
        Assert.Contains("Request body larger than 1048576 bytes", body, StringComparison.Ordinal);
        Assert.Empty(sim.LiveBridgeIds);
    }

    [Fact]
    public async Task A_chunked_JSON_body_is_read_whole_and_its_parameters_are_used()
    {
        await using var sim = await Sims.StartAsync();

        var (status, body) = await PostChunkedAsync(sim, "/ari/bridges", """{"type":"mixing","bridgeId":"chunked-1"}""");

        Assert.Equal(200, status);
        Assert.Contains("\"id\":\"chunked-1\"", body, StringComparison.Ordinal);
        Assert.Contains("chunked-1", sim.LiveBridgeIds);
    }
}
