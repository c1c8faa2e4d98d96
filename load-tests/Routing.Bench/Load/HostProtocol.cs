using Routing.Engine.Hosting;
using System.Text.Json;
using Routing.Simulator;

namespace Routing.Bench.Load;

/// <summary>
/// The bench's line protocol with its child-process simulator (<c>--simulator-host</c>): one JSON
/// object per line. Parent → child on stdin: <c>place</c> (seq, call), <c>counters</c>, <c>quit</c>.
/// Child → parent on stdout: <c>ready</c> (address) once, <c>placed</c> (seq, channel),
/// <c>ended</c> (seq, end), <c>counters</c>, <c>error</c> (seq, message). Stdout carries nothing else.
/// </summary>
public static class HostProtocol
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Write(HostMessage message) => JsonSerializer.Serialize(message, Json);

    /// <summary>Parses one line; a line that is not a message names itself in the error.</summary>
    public static HostMessage Read(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<HostMessage>(line, Json) is { Op.Length: > 0 } message
                ? message
                : throw new FormatException($"simulator host: message without 'op': {Excerpt(line)}");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"simulator host: not a protocol line ({ex.Message}): {Excerpt(line)}", ex);
        }
    }

    private static string Excerpt(string line) => line.Length <= 120 ? line : line[..120] + "…";
}

public sealed record HostMessage(
    string Op,
    int Seq = 0,
    LoadCall? Call = null,
    string? Channel = null,
    CallEnd? End = null,
    SimulatorCounters? Counters = null,
    AsteriskAddress? Address = null,
    string? Error = null)
{
    public const string Ready = "ready";
    public const string Place = "place";
    public const string Placed = "placed";
    public const string Ended = "ended";
    public const string CountersOp = "counters";
    public const string Quit = "quit";
    public const string Failed = "error";
}
