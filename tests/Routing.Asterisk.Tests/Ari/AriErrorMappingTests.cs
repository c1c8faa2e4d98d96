using System.Net;
using System.Text.Json;
using System.Web;
using Routing.Asterisk.Ari;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests.Ari;

/// <summary>Every recorded error answer of Asterisk 23.4.1 (ari-errors.jsonl, stasis-app-down.rest.jsonl)
/// is replayed to the matching client call and must come back as an AriException saying what Asterisk said.</summary>
public class AriErrorMappingTests
{
    public sealed record ErrorRow(string File, int Line, string Method, string Path, string Query, int Status, string Body)
    {
        public override string ToString() => $"{File}:{Line} {Method} {Path} → {Status}";
    }

    public static TheoryData<ErrorRow> Rows()
    {
        var data = new TheoryData<ErrorRow>();
        foreach (var file in new[] { "ari-errors.jsonl", "stasis-app-down.rest.jsonl" })
        {
            var n = 0;
            foreach (var line in File.ReadLines(Traces.PathOf(file)))
            {
                n++;
                var row = JsonDocument.Parse(line).RootElement;
                if (row.TryGetProperty("websocket", out _)) continue;
                var status = row.GetProperty("status").GetInt32();
                if (status < 400 || row.GetProperty("body").ValueKind != JsonValueKind.Object) continue;
                var url = row.GetProperty("request_url").GetString()!;
                var q = url.IndexOf('?');
                var row2 = new ErrorRow(file, n, row.GetProperty("method").GetString()!, q < 0 ? url : url[..q], q < 0 ? "" : url[q..],
                    status, row.GetProperty("body").GetRawText());
                if (CallFor(row2) is not null) data.Add(row2);
            }
        }
        return data;
    }

    /// <summary>The client call that sends this request, or null for endpoints the client does not wrap.</summary>
    private static Func<IAriRestClient, Task>? CallFor(ErrorRow row)
    {
        var q = HttpUtility.ParseQueryString(row.Query);
        var s = row.Path.Split('/', StringSplitOptions.RemoveEmptyEntries); // ari, resource, id, action
        return (row.Method, s.Length, s.ElementAtOrDefault(1), s.ElementAtOrDefault(3)) switch
        {
            ("POST", 2, "channels", _) => c => c.OriginateAsync(new AriOriginateRequest(q["endpoint"] ?? "PJSIP/x", q["app"] ?? "routing112", q["channelId"] ?? "c-1")),
            ("GET", 3, "channels", _) => c => c.GetChannelAsync(s[2]),
            ("DELETE", 3, "channels", _) => c => c.HangupAsync(s[2], q["reason"]),
            ("POST", 4, "channels", "answer") => c => c.AnswerAsync(s[2]),
            ("POST", 4, "channels", "play") => c => c.PlayAsync(s[2], q["media"] ?? "sound:none", q["playbackId"]),
            ("POST", 4, "channels", "continue") => c => c.ContinueAsync(s[2]),
            ("POST", 4, "channels", "dtmf") => c => c.SendDtmfAsync(s[2], q["dtmf"] ?? "1"),
            ("POST", 4, "channels", "dial") => c => c.DialAsync(s[2], q["caller"]),
            ("POST", 3, "channels", "create" or null) when s[2] == "create" => c => c.CreateChannelAsync(new AriOriginateRequest(q["endpoint"] ?? "PJSIP/x", q["app"] ?? "routing112", q["channelId"] ?? "c-1")),
            ("GET", 4, "channels", "variable") => c => c.GetVariableAsync(s[2], q["variable"] ?? "X"),
            ("POST", 2, "bridges", _) => c => c.CreateBridgeAsync(q["bridgeId"], q["type"]),
            ("DELETE", 3, "bridges", _) => c => c.DestroyBridgeAsync(s[2]),
            ("POST", 4, "bridges", "addChannel") => c => c.AddChannelAsync(s[2], [q["channel"] ?? "c-1"]),
            ("GET", 3, "playbacks", _) => c => c.GetPlaybackAsync(s[2]),
            ("DELETE", 3, "playbacks", _) => c => c.StopPlaybackAsync(s[2]),
            ("GET", 3, "applications", _) => c => c.GetApplicationAsync(s[2]),
            ("GET", 3, "asterisk", _) => c => c.GetInfoAsync(),
            _ => null,
        };
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Recorded_error_becomes_an_AriException_with_asterisks_message(ErrorRow row)
    {
        var handler = new RecordingHandler().Reply((HttpStatusCode)row.Status, row.Body);
        using var client = new AriRestClient(AriTestOptions.Default(), handler);
        var body = JsonDocument.Parse(row.Body).RootElement;
        var expected = (body.TryGetProperty("message", out var m) ? m : body.GetProperty("error")).GetString()!;

        if (row.Status == 404 && expected == "Provided variable was not found")
        {
            var channelId = row.Path.Split('/')[3];
            var name = HttpUtility.ParseQueryString(row.Query)["variable"]!;
            Assert.Null(await client.GetVariableAsync(channelId, name)); // unset variable reads as null
            return;
        }
        var ex = await Assert.ThrowsAsync<AriException>(() => CallFor(row)!(client));

        Assert.Equal(row.Status, (int)ex.StatusCode);
        Assert.Equal(row.Method, ex.Method);
        Assert.Equal(Uri.UnescapeDataString(row.Path), Uri.UnescapeDataString(ex.Path));
        Assert.Equal(expected, ex.AsteriskMessage);
        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain(AriTestOptions.Password, ex.Message);
        Assert.Equal(expected.EndsWith("not found", StringComparison.Ordinal) && row.Status is 404 or 400, ex.IsNotFound);
        Assert.Equal(expected == "Channel not in Stasis application", ex.IsNotInStasis);
    }

    [Fact]
    public void Most_recorded_errors_are_covered()
    {
        Assert.True(Rows().Count >= 25, $"only {Rows().Count} recorded error rows map to client calls");
    }

    [Fact]
    public void Not_in_stasis_is_recognised_for_both_409_and_422()
    {
        var answer = new AriException(HttpStatusCode.Conflict, "POST", "/ari/channels/1/answer", "Channel not in Stasis application");
        var add = new AriException(HttpStatusCode.UnprocessableEntity, "POST", "/ari/bridges/b/addChannel", "Channel not in Stasis application");
        var dup = new AriException(HttpStatusCode.Conflict, "POST", "/ari/channels", "Channel with given unique ID already exists");

        Assert.True(answer.IsNotInStasis && add.IsNotInStasis);
        Assert.False(dup.IsNotInStasis);
        Assert.True(dup.IsAlreadyExists);
    }

    [Fact]
    public async Task Error_body_that_is_not_json_is_shown_as_text()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.BadGateway, null);
        using var client = new AriRestClient(AriTestOptions.Default(), handler);
        var ex = await Assert.ThrowsAsync<AriException>(() => client.GetInfoAsync());
        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Contains("/ari/asterisk/info", ex.Message);
    }
}
